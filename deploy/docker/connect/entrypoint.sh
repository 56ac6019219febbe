#!/bin/sh
# Starts the Connect worker from worker.properties, with every CONNECT_<KEY> environment variable
# appended as <key> (lower case, underscores as dots; the later line wins in a properties file).
set -eu
config=/tmp/costmeter-connect-worker.properties
cp /opt/costmeter/connect/worker.properties "$config"
env | while IFS='=' read -r name value; do
  case "$name" in
    CONNECT_?*)
      key=$(printf '%s' "${name#CONNECT_}" | tr 'A-Z_' 'a-z.')
      printf '%s=%s\n' "$key" "$value" >> "$config"
      ;;
  esac
done
exec /opt/kafka/bin/connect-distributed.sh "$config"
