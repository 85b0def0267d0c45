"""Running the site, apart from serving it: encrypted backups and their restoration
(`manage.py backup`, `manage.py restore`), the static mirror (`manage.py export_static`) and
the scheduler of periodic tasks (`manage.py scheduler`). What monitoring reads (/healthz, the
queue's state, heartbeats) is the health app's. See docs/operations.md."""
