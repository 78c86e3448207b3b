"""English messages for ``backprop-tutor serve --web`` (tui/serve/web.py): merged into
:mod:`tui.i18n.en`."""

MESSAGES: dict[str, str] = {
    # the command line
    "serve.web": "[HOST:]PORT for the web front too: learners without ssh use the tutor in "
    "a browser (e.g. 8000; 0.0.0.0:8000 to be reachable from other machines)",
    "serve.public_url": "the address learners' browsers use when the web front is behind a "
    "proxy, e.g. https://tutor.school.example/",
    "web.bad_address": "--web: '{value}' is not [HOST:]PORT (a port from 0 to 65535)",
    "web.bad_public_url": "--public-url: '{value}' is not an http:// or https:// address "
    "(with no user, query or fragment)",
    "web.public_url_alone": "--public-url is for the web front: give --web too",
    "web.keys_only": "--web cannot check --authorized-keys (a browser has no key): give a "
    "class password too, with --password-file or --password-env",
    "web.no_aiohttp": "serve --web needs aiohttp and textual-serve: "
    "pip install 'backprop-tutor[serve]'",
    "web.cannot_listen": "cannot listen on {host}:{port} for the web: {reason}",
    "web.listening": "web front on {host}:{port}",
    "web.connect": "learners without ssh open in a browser: {url}",
    "web.not_local": "warning: the web front on {host}:{port} can be reached from other "
    "machines over plain HTTP (the class password is not encrypted) and its links use "
    "whatever address each browser typed; behind an HTTPS proxy, give --public-url",
    # the pages
    "web.title": "Backprop tutor",
    "web.welcome": "Your name keeps your place: use the same one next time, here or over "
    "ssh.",
    "web.name": "Your name",
    "web.name_hint": "letters, digits, dot, dash and underscore; up to 32",
    "web.password": "Class password",
    "web.start": "Start",
    "web.bad_name": "A name is letters, digits, dot, dash and underscore (up to 32), not "
    "starting with a dot.",
    "web.wrong_password": "That is not the class password.",
    "web.connecting": "Starting the tutor…",
    "web.ended": "Session ended.",
    "web.again": "Start again",
}
