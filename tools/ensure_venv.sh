#!/usr/bin/env bash
# Create or update a project-local virtual environment, idempotently.
#
#   tools/ensure_venv.sh VENV_DIR PYTHON_MINOR REQUIREMENTS_FILE
#
# The interpreter is $ENSURE_VENV_PYTHON when set (tools/demo_environment.py sets it), else the newest pyenv Python
# PYTHON_MINOR.* (falling back to pythonPYTHON_MINOR on PATH).
# A stamp file inside the venv records a hash of the requirements file and the interpreter version, so a
# warm run costs one sha256sum; an existing venv is updated in place, never deleted (others may use it).
set -euo pipefail

venv_dir=$1
python_minor=$2
requirements=$3

stamp="$venv_dir/.requirements-stamp"
wanted_stamp="$(sha256sum "$requirements" | cut -d' ' -f1) python$python_minor"
if [[ -x "$venv_dir/bin/python" && -f "$stamp" && "$(cat "$stamp")" == "$wanted_stamp" ]]; then
    exit 0
fi

find_python() {
    local pyenv_root candidate
    pyenv_root=${PYENV_ROOT:-}
    if [[ -z "$pyenv_root" ]] && command -v pyenv >/dev/null 2>&1; then
        pyenv_root=$(pyenv root)
    fi
    pyenv_root=${pyenv_root:-$HOME/.pyenv}
    # newest patch release first
    for candidate in $(ls -d "$pyenv_root/versions/$python_minor".*/bin/python3 2>/dev/null | sort -V -r); do
        if [[ -x "$candidate" ]]; then
            echo "$candidate"
            return 0
        fi
    done
    command -v "python$python_minor" || true
}

if [[ ! -x "$venv_dir/bin/python" ]]; then
    python=${ENSURE_VENV_PYTHON:-$(find_python)}
    if [[ -z "$python" ]]; then
        echo "ensure_venv: no Python $python_minor found (pyenv versions/$python_minor.* or python$python_minor)" >&2
        exit 1
    fi
    echo "ensure_venv: creating $venv_dir with $python"
    "$python" -m venv "$venv_dir"
fi

actual_minor=$("$venv_dir/bin/python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
if [[ "$actual_minor" != "$python_minor" ]]; then
    echo "ensure_venv: $venv_dir has Python $actual_minor, expected $python_minor; remove it and rerun" >&2
    exit 1
fi

echo "ensure_venv: installing $requirements into $venv_dir"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
"$venv_dir/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements" >"$log" 2>&1 || status=$?
# the local package indexes make pip warn about every missing project folder: noise
grep -v "^WARNING: Location '.*' is ignored" "$log" || true
if [[ $status -ne 0 ]]; then
    echo "ensure_venv: pip install failed for $venv_dir" >&2
    exit "$status"
fi
"$venv_dir/bin/python" -m pip check || echo "ensure_venv: warning: pip check reports conflicts in $venv_dir" >&2
echo "$wanted_stamp" > "$stamp"
