"""The feature files the mutants' scenarios are in, by path under features/ as a scenario key names them (see mutant.key)."""

from __future__ import annotations

FR001_MULTI_STAGE = "images/fr001_multi_stage.feature"
FR001_HADOLINT = "images/fr001_hadolint.feature"
FR002_NON_ROOT = "images/fr002_non_root.feature"
FR003_IMAGE_SIZE = "images/fr003_image_size.feature"
FR004_HEALTH = "images/fr004_health.feature"
API_BAD_INPUT = "images/api_bad_input.feature"
API_GENERATED_INPUT = "images/api_generated_input.feature"
PAGE_IN_A_BROWSER = "images/page_in_a_browser.feature"
POSTGRESQL = "images/postgresql.feature"

FR005_CHART = "chart/fr005_chart.feature"
FR006_FLAT_VALUES = "chart/fr006_flat_values.feature"
FR007_VALUES_SCHEMA = "chart/fr007_values_schema.feature"
FR008_RESOURCES_PROBES = "chart/fr008_resources_probes.feature"
FR009_CONFIGMAP = "chart/fr009_configmap.feature"
FR010_SECRETS = "chart/fr010_secrets.feature"
FR011_ROLLING_UPDATE = "chart/fr011_rolling_update.feature"
FR012_PERSISTENCE = "chart/fr012_persistence.feature"
KUBE_SCORE = "chart/kube_score.feature"
NETWORK_POLICY = "chart/network_policy.feature"

FR013_SCRIPTS = "delivery/fr013_scripts.feature"
FR014_GUIDE = "delivery/fr014_guide.feature"

SMOKE = "cluster/smoke.feature"
V1_PODS_READY = "cluster/v1_pods_ready.feature"
V2_SERVICES = "cluster/v2_services.feature"
V3_PVC = "cluster/v3_pvc.feature"
V4_HEALTH = "cluster/v4_health.feature"
V5_APP_WORKS = "cluster/v5_app_works.feature"
V5_APP_WORKS_IN_A_BROWSER = "cluster/v5_app_works_in_a_browser.feature"
V6_SELF_HEALING = "cluster/v6_self_healing.feature"
V7_PERSISTENCE = "cluster/v7_persistence.feature"
FR009_CONFIG_ROLLOUT = "cluster/fr009_config_rollout.feature"
FR013_FR014_GUIDE_WALKTHROUGH = "cluster/fr013_fr014_guide_walkthrough.feature"
NETWORK_POLICY_ENFORCED = "cluster/network_policy_enforced.feature"
POD_SECURITY = "cluster/pod_security.feature"
PROBES = "cluster/probes.feature"
RELEASE_LIFECYCLE = "cluster/release_lifecycle.feature"
ROLLING_UPGRADE = "cluster/rolling_upgrade.feature"
CHART_VERSION_UPGRADE = "cluster/chart_version_upgrade.feature"

# A mutant with a scenario of these needs a browser to run.
BROWSER_FEATURES = (PAGE_IN_A_BROWSER, V5_APP_WORKS_IN_A_BROWSER)
