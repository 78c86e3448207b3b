"""English messages for ``backprop-tutor serve`` (tui/serve/): merged into
:mod:`tui.i18n.en`."""

MESSAGES: dict[str, str] = {
    # the command line
    "cli.serve": "teach a class over SSH: one tutor per learner (needs the serve extra)",
    "serve.ssh": "[HOST:]PORT to listen on (default: 127.0.0.1:2222; give a host, e.g. "
    "0.0.0.0:2222, to be reachable from other machines)",
    "serve.max_sessions": "learners at once (default: {default})",
    "serve.idle_timeout": "close a session after this long without a key, e.g. 30s, 30m, 4h "
    "(default: 30m)",
    "serve.max_duration": "close a session after this long in all (default: 4h)",
    "serve.host_key": "the server's ed25519 host key (default: made on first run under "
    "$XDG_STATE_HOME/backprop-tutor/)",
    "serve.password_file": "a file whose first line is the class password",
    "serve.password_env": "an environment variable holding the class password",
    "serve.authorized_keys": "an authorized_keys file: learners log in with these keys",
    "serve.lessons": "a folder of lesson files (.toml) learners may open, besides the "
                     "built-in lessons (without it, only those)",
    "serve.lessons_not_dir": "--lessons: {path} is not a folder this server can read",
    "serve.teacher": "this SSH user name opens the class view (needs --teacher-password-file "
                     "or --teacher-password-env)",
    "serve.teacher_password_file": "the teacher's password: the first line of this file",
    "serve.teacher_password_env": "the teacher's password: this environment variable",
    "serve.bad_teacher": "--teacher: '{value}' is not a user name (letters, digits, dot, dash "
                         "and underscore; up to 32)",
    "serve.teacher_needs_password": "--teacher needs a password: --teacher-password-file or "
                                    "--teacher-password-env",
    "serve.teacher_password_alone": "a teacher's password without --teacher: give the "
                                    "teacher's user name too",
    "serve.auth_teacher": "the class view: ssh -p {port} {teacher}@HOST, with the teacher's "
                          "password",
    "serve.log": "append one JSON line per connect and disconnect to this file",
    "serve.no_asyncssh": "serve needs asyncssh: pip install 'backprop-tutor[serve]'",
    "serve.bad_duration": "{option}: '{value}' is not a duration like 30s, 30m or 4h",
    "serve.bad_address": "--ssh: '{value}' is not [HOST:]PORT (a port from 0 to 65535)",
    "serve.bad_max_sessions": "--max-sessions must be 1 or more, got {value}",
    "serve.key_mode": "the host key {path} can be read by other users (mode {reason}): "
    "chmod 600 {path}",
    "serve.key_unreadable": "the host key {path} cannot be used: {reason}",
    "serve.key_unwritable": "the host key {path} cannot be written: {reason}",
    "serve.key_created": "made a new host key: {path}",
    "serve.password_file_problem": "the password file {path} cannot be read: {reason}",
    "serve.password_env_missing": "the environment variable {name} is not set",
    "serve.password_empty": "the class password is empty",
    "serve.authorized_keys_problem": "the authorized_keys file {path} cannot be used: {reason}",
    "serve.cannot_listen": "cannot listen on {host}:{port}: {reason}",
    "serve.listening": "serving the lesson {scenario} on {host}:{port}",
    "serve.fingerprint": "host key fingerprint: {fingerprint}",
    "serve.connect": "learners connect with: {command}",
    "serve.connect_check": "(ssh shows this fingerprint the first time: they should check it "
    "is the same)",
    "serve.auth_none": "no password: the user name is only the learner's label",
    "serve.auth_password": "learners need the class password",
    "serve.auth_keys": "learners need a key from {path}",
    "serve.stopping": "stopping: every session ends",
    "serve.stopped": "stopped",
    # to the learner
    "serve.class_full": "The class is full, try again later.",
    "serve.no_exec": "This server runs only the tutor: connect with ssh -t and no command.",
    "serve.no_pty": "The tutor needs a terminal: connect with ssh -t.",
    "serve.idle_warning": "No key pressed for a while: this session closes in {duration} "
    "unless you press a key.",
    "serve.time_warning": "This session reaches its time limit in {duration}.",
    "serve.idle_closed": "Closed after {duration} without a key. Your place is kept: "
    "connect again to go on.",
    "serve.time_up": "This session reached its time limit ({duration}). Your place is kept: "
    "connect again to go on.",
    "serve.server_stopping": "The server is stopping. Your place is kept.",
    # the server's log, on stderr
    "serve.log.lead": "{learner} leads the class: {command}",
    "serve.log.connect": "{learner} connected from {address} (TERM {term}, {size})",
    "serve.log.disconnect": "{learner} left ({reason}) after {duration}",
    "serve.log.refused": "{learner} from {address} refused ({reason})",
}
