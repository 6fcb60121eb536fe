# Coordinator digests, weekly summaries with their chart, and the sponsors' monthly notes.

cmd-digest = Daily digest for coordinators
