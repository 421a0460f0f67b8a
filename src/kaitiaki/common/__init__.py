"""What every domain shares: form cleaning, the active-account check and the web helpers.
Domains import from here; nothing here imports a domain."""
