"""Administration (/admin): places, categories, departments, users and site settings."""
