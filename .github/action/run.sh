#!/usr/bin/env bash
# The action's run step (action.yml): runs COMMAND on TARGETS (SHARD and ARGS optional), writes the
# reports into cognito-drift-report/, appends the Markdown to $GITHUB_STEP_SUMMARY, and sets the
# step outputs `exit-code` and `artifact`. Always exits 0 so the reports are uploaded; the action's
# last step fails with the command's code.
set -uo pipefail
out=cognito-drift-report
mkdir -p "$out"
summary="${GITHUB_STEP_SUMMARY:-/dev/null}"
read -r -a extra <<< "${ARGS:-}"
shard=()
if [ -n "${SHARD:-}" ]; then
    shard=(--shard "$SHARD")
fi
codes=()
case "$COMMAND" in
    run)
        IFS=, read -r -a targets <<< "$TARGETS"
        for t in "${targets[@]}"; do
            cognito-drift run --target "$t" "${shard[@]}" --format junit \
                --output "$out/junit-$t.xml" --summary "$summary" "${extra[@]}"
            codes+=("$?")
        done
        ;;
    explore)
        IFS=, read -r -a targets <<< "$TARGETS"
        for t in "${targets[@]}"; do
            cognito-drift explore --target "$t" "${shard[@]}" "${extra[@]}"
            codes+=("$?")
        done
        ;;
    matrix)
        if [ -n "${SHARD:-}" ]; then
            echo "::error::the matrix runs every scenario on every target; shard with command: run" >&2
            codes+=(2)
        else
            cognito-drift matrix --targets "$TARGETS" --output-dir "$out/matrix" "${extra[@]}"
            codes+=("$?")
            if [ -f "$out/matrix/matrix.md" ]; then
                cat "$out/matrix/matrix.md" >> "$summary"
            fi
        fi
        ;;
    *)
        echo "::error::unknown command '$COMMAND': use run, matrix, explore or install" >&2
        codes+=(2)
        ;;
esac
# The exit codes' own precedence: a usage or scenario error (2) wins, then a target fault (3), then
# drift (1); anything else unexpected is reported as it came.
code=0
for c in "${codes[@]}"; do
    case "$c" in
        0) ;;
        2) code=2 ;;
        3) [ "$code" = 2 ] || code=3 ;;
        1) [ "$code" = 0 ] && code=1 ;;
        *) [ "$code" = 0 ] && code="$c" ;;
    esac
done
name="cognito-drift-${GITHUB_JOB:-job}-${COMMAND}-${TARGETS//,/-}"
if [ -n "${SHARD:-}" ]; then
    name="$name-shard-${SHARD//\//-of-}"
fi
{
    echo "exit-code=$code"
    echo "artifact=$name"
} >> "${GITHUB_OUTPUT:-/dev/null}"
exit 0
