#!/usr/bin/env bash
# Copies the CRDs the build generates into crds/ and helm/localmodels-operator/crds/, and re-renders
# manifests/install.yaml from the chart with its default values (without the dashboard ConfigMap), and copies the
# chart's Grafana dashboard to docs/grafana-dashboard.json. Run after changing the API types or the chart,
# then commit the result; CrdSyncTest fails until the committed files match.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B ${MAVEN_OFFLINE--o} test -Dtest=CrdSyncTest -Dsurefire.failIfNoSpecifiedTests=false -Dlocalmodels.updateGenerated=true
git status --short crds helm/localmodels-operator/crds manifests/install.yaml docs/grafana-dashboard.json
