"""``backprop-tutor serve`` 的中文消息（tui/serve/）：并入 :mod:`tui.i18n.zh`。"""

MESSAGES: dict[str, str] = {
    # 命令行
    "cli.serve": "通过 SSH 给一个班上课：每位学员一个导师进程（需要 serve 附加组件）",
    "serve.ssh": "监听的 [主机:]端口（默认：127.0.0.1:2222；要让其他机器连入，请给出主机，"
    "例如 0.0.0.0:2222）",
    "serve.max_sessions": "同时在线的学员数（默认：{default}）",
    "serve.idle_timeout": "多久没有按键就关闭会话，例如 30s、30m、4h（默认：30m）",
    "serve.max_duration": "会话最长持续多久（默认：4h）",
    "serve.host_key": "服务器的 ed25519 主机密钥（默认：首次运行时在 "
    "$XDG_STATE_HOME/backprop-tutor/ 下生成）",
    "serve.password_file": "一个文件，其第一行是班级密码",
    "serve.password_env": "保存班级密码的环境变量",
    "serve.authorized_keys": "一个 authorized_keys 文件：学员用其中的密钥登录",
    "serve.lessons": "学习者除内置课程外还可以打开的课程文件（.toml）所在文件夹"
                     "（不指定时只能打开内置课程）",
    "serve.lessons_not_dir": "--lessons：{path} 不是本服务器可以读取的文件夹",
    "serve.teacher": "以此 SSH 用户名登录时打开全班视图（需要 --teacher-password-file "
                     "或 --teacher-password-env）",
    "serve.teacher_password_file": "教师密码：此文件的第一行",
    "serve.teacher_password_env": "教师密码：此环境变量",
    "serve.bad_teacher": "--teacher：“{value}”不是合法的用户名（字母、数字、点、连字符和下划线，"
                         "最多 32 个）",
    "serve.teacher_needs_password": "--teacher 需要密码：--teacher-password-file 或 "
                                    "--teacher-password-env",
    "serve.teacher_password_alone": "给了教师密码却没有 --teacher：请同时给出教师的用户名",
    "serve.auth_teacher": "全班视图：ssh -p {port} {teacher}@主机，使用教师密码",
    "serve.log": "每次连接和断开时向此文件追加一行 JSON",
    "serve.no_asyncssh": "serve 需要 asyncssh：pip install 'backprop-tutor[serve]'",
    "serve.bad_duration": "{option}：'{value}' 不是 30s、30m 或 4h 这样的时长",
    "serve.bad_address": "--ssh：'{value}' 不是 [主机:]端口（端口为 0 到 65535）",
    "serve.bad_max_sessions": "--max-sessions 必须至少为 1，得到的是 {value}",
    "serve.key_mode": "主机密钥 {path} 可被其他用户读取（权限 {reason}）：请执行 chmod 600 {path}",
    "serve.key_unreadable": "主机密钥 {path} 无法使用：{reason}",
    "serve.key_unwritable": "无法写入主机密钥 {path}：{reason}",
    "serve.key_created": "已生成新的主机密钥：{path}",
    "serve.password_file_problem": "无法读取密码文件 {path}：{reason}",
    "serve.password_env_missing": "环境变量 {name} 未设置",
    "serve.password_empty": "班级密码为空",
    "serve.authorized_keys_problem": "authorized_keys 文件 {path} 无法使用：{reason}",
    "serve.cannot_listen": "无法在 {host}:{port} 上监听：{reason}",
    "serve.listening": "正在 {host}:{port} 上提供课程 {scenario}",
    "serve.fingerprint": "主机密钥指纹：{fingerprint}",
    "serve.connect": "学员这样连接：{command}",
    "serve.connect_check": "（ssh 第一次连接时会显示这个指纹：学员应核对它是否相同）",
    "serve.auth_none": "无密码：用户名只是学员的标签",
    "serve.auth_password": "学员需要班级密码",
    "serve.auth_keys": "学员需要 {path} 中的一个密钥",
    "serve.stopping": "正在停止：所有会话都将结束",
    "serve.stopped": "已停止",
    # 对学员
    "serve.class_full": "班级已满，请稍后再试。",
    "serve.no_exec": "此服务器只运行导师程序：请用 ssh -t 连接，不要带命令。",
    "serve.no_pty": "导师程序需要终端：请用 ssh -t 连接。",
    "serve.idle_warning": "已有一段时间没有按键：除非按一个键，本会话将在 {duration} 后关闭。",
    "serve.time_warning": "本会话将在 {duration} 后达到时间上限。",
    "serve.idle_closed": "{duration} 没有按键，会话已关闭。你的进度已保留：再次连接即可继续。",
    "serve.time_up": "本会话已达到时间上限（{duration}）。你的进度已保留：再次连接即可继续。",
    "serve.server_stopping": "服务器正在停止。你的进度已保留。",
    # 服务器日志（stderr）
    "serve.log.lead": "{learner} 带领全班：{command}",
    "serve.log.connect": "{learner} 从 {address} 连接（TERM {term}，{size}）",
    "serve.log.disconnect": "{learner} 离开（{reason}），用时 {duration}",
    "serve.log.refused": "拒绝了来自 {address} 的 {learner}（{reason}）",
}
