"""Infrastructure every stage shares: caches, atomic writes, child processes, git, limits and the sandbox."""
