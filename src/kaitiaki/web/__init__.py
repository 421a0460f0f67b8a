"""The web shell: templating, security middleware, error handling, navigation and the dashboard."""
