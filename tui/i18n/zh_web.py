"""``backprop-tutor serve --web`` 的中文消息（tui/serve/web.py）：并入 :mod:`tui.i18n.zh`。"""

MESSAGES: dict[str, str] = {
    # 命令行
    "serve.web": "同时开放网页入口的 [主机:]端口：没有 ssh 的学员在浏览器里使用导师"
    "（例如 8000；要让其他机器连入，用 0.0.0.0:8000）",
    "serve.public_url": "网页入口在代理服务器之后时，学员浏览器使用的地址，"
    "例如 https://tutor.school.example/",
    "web.bad_address": "--web：“{value}”不是 [主机:]端口（端口为 0 到 65535）",
    "web.bad_public_url": "--public-url：“{value}”不是 http:// 或 https:// 地址"
    "（不能带用户名、查询串或片段）",
    "web.public_url_alone": "--public-url 用于网页入口：请同时给出 --web",
    "web.keys_only": "--web 无法检查 --authorized-keys（浏览器没有密钥）：请同时用 "
    "--password-file 或 --password-env 设置班级密码",
    "web.no_aiohttp": "serve --web 需要 aiohttp 和 textual-serve：请运行 "
    "pip install 'backprop-tutor[serve]'",
    "web.cannot_listen": "无法在 {host}:{port} 上监听网页入口：{reason}",
    "web.listening": "网页入口在 {host}:{port}",
    "web.connect": "没有 ssh 的学员在浏览器中打开：{url}",
    "web.not_local": "警告：{host}:{port} 上的网页入口可被其他机器通过未加密的 HTTP 访问"
    "（班级密码以明文传输），其链接使用各浏览器输入的地址；若在 HTTPS 代理之后，"
    "请给出 --public-url",
    # 网页
    "web.title": "反向传播导师",
    "web.welcome": "你的名字记录你的进度：下次请用同一个名字，无论在这里还是通过 ssh。",
    "web.name": "你的名字",
    "web.name_hint": "字母、数字、点、连字符和下划线；最多 32 个",
    "web.password": "班级密码",
    "web.start": "开始",
    "web.bad_name": "名字只能由字母、数字、点、连字符和下划线组成（最多 32 个），"
    "且不能以点开头。",
    "web.wrong_password": "班级密码不对。",
    "web.connecting": "正在启动导师……",
    "web.ended": "会话已结束。",
    "web.again": "重新开始",
}
