"""People: organisation units, users and the roles they hold."""
