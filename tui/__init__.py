"""The front ends: the Textual tutor, the command line and the printed transcript."""
