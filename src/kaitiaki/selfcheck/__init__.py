"""The personal self-check: any staff member checks a personal post against the personal-use
guidance (the psc-personal pack), and reads that guidance rendered from the pack's clauses."""
