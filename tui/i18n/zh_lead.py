"""老师带领全班的中文消息（第 15 号议题：tui/served.py 中的 ``lead``、``hold`` 和
``broadcast`` 行在学员导师中的显示）：并入 :mod:`tui.i18n.zh`。"""

MESSAGES: dict[str, str] = {
    "lead.step": "老师已把全班带到第 {step} 步。",
    "lead.phase.forward": "老师已把全班带到前向传播的开头。",
    "lead.phase.loss": "老师已把全班带到损失计算的开头。",
    "lead.phase.backward": "老师已把全班带到反向传播的开头。",
    "lead.phase.update": "老师已把全班带到权重更新的开头。",
    "lead.lesson": "老师把全班带到了课程 {name}。",
    "lead.lesson_failed": "老师把全班带到了课程 {name}，但这里无法打开它（{reason}）："
                          "你留在当前课程。",
    "lead.held": "老师让全班停在第 {step} 步。",
    "lead.released": "老师已让全班继续前进。",
    # 广播：显示在标题栏（老师的话前面的标签），并弹出通知
    "lead.broadcast_label": "老师：",
    "lead.broadcast_title": "老师的消息",
}
