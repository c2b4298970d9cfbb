"""newsbot: the glue shared by every front end: settings, logging and the command line."""
