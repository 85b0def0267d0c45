"""Date and time formats where Django's own leave a gap (settings.FORMAT_MODULE_PATH): the
rest come from Django's locale formats, the one source of dates on every page."""
