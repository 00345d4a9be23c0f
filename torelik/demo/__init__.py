"""Demo data of the national court network, composed from each context's own seeding."""
