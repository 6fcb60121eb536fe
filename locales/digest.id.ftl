# Coordinator digests, weekly summaries with their chart, and the sponsors' monthly notes.

cmd-digest = Ringkasan harian untuk koordinator
