"""Names fixed by the product and the suite, the same for every team: the components, the tiers, the suite's own label.
(What a team names itself, the release, its labels and resources, is in its profile.)"""

COMPONENTS = ("frontend", "backend")
TIERS = ("static", "image", "cluster")
CREATED_BY_LABEL = "app.kubernetes.io/created-by"

