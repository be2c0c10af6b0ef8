#!/usr/bin/env bash
# Re-fetch the vendored front-end libraries from the npm registry at the
# pinned versions below. The results are committed: our users' intranets have
# no internet, so the product serves every asset itself.
set -euo pipefail
cd "$(dirname "$0")"

BOOTSTRAP=5.3.9
BOOTSTRAP_ICONS=1.13.2
ECHARTS=6.1.0

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fetch() {  # package version -> unpacked into $work/<package>
  (cd "$work" && npm pack --silent "$1@$2" >/dev/null && mkdir -p "$1" && tar -xzf "$1"-*.tgz -C "$1" --strip-components 1)
}

fetch bootstrap "$BOOTSTRAP"
rm -rf "bootstrap-$BOOTSTRAP" && mkdir -p "bootstrap-$BOOTSTRAP"/{css,js}
cp "$work"/bootstrap/dist/css/bootstrap.min.css{,.map} "bootstrap-$BOOTSTRAP/css/"
cp "$work"/bootstrap/dist/js/bootstrap.bundle.min.js{,.map} "bootstrap-$BOOTSTRAP/js/"
cp "$work"/bootstrap/LICENSE "bootstrap-$BOOTSTRAP/"

fetch bootstrap-icons "$BOOTSTRAP_ICONS"
rm -rf "bootstrap-icons-$BOOTSTRAP_ICONS" && mkdir -p "bootstrap-icons-$BOOTSTRAP_ICONS"
cp -r "$work"/bootstrap-icons/font/{bootstrap-icons.min.css,fonts} "bootstrap-icons-$BOOTSTRAP_ICONS/"
cp "$work"/bootstrap-icons/LICENSE "bootstrap-icons-$BOOTSTRAP_ICONS/"

fetch echarts "$ECHARTS"
rm -rf "echarts-$ECHARTS" && mkdir -p "echarts-$ECHARTS"
cp "$work"/echarts/dist/echarts.min.js "echarts-$ECHARTS/"
cp "$work"/echarts/{LICENSE,NOTICE} "echarts-$ECHARTS/"
