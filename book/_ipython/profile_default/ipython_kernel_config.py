# Kernel settings for executing the book's chapters (the Makefile points IPYTHONDIR here for `make book`).
# The kernel warns at start-up that it talks to the build over unencrypted local TCP; the build runs on this
# machine only, so the warning says nothing a reader of the build log can act on, and it is silenced.
c = get_config()  # noqa: F821
c.IPKernelApp.log_level = "ERROR"
