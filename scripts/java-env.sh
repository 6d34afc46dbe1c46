# Sourced by ./colony, scripts/test and .ci/run: finds a JDK 25 and exports JAVA_HOME.
# Order: $JAVA_HOME if it is a JDK 25, then the JDKs under /usr/lib/jvm (Temurin first).

colony_java_major() {
    # prints the major version of the java binary $1, or nothing; from the JDK's release file when it has
    # one (no JVM start: ./colony's start-up time counts, ADR 0051), else from the JVM itself
    local release
    release="$(dirname "$(dirname "$1")")/release"
    if [ -f "$release" ] && grep -q '^JAVA_VERSION="[0-9]' "$release"; then
        sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release" | head -n 1
        return 0
    fi
    "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
}

colony_find_jdk() {
    local candidate
    if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ] && [ "$(colony_java_major "$JAVA_HOME/bin/java")" = "25" ]; then
        printf '%s\n' "$JAVA_HOME"
        return 0
    fi
    for candidate in /usr/lib/jvm/temurin-25* /usr/lib/jvm/*25* /usr/lib/jvm/*; do
        if [ -x "$candidate/bin/javac" ] && [ "$(colony_java_major "$candidate/bin/java")" = "25" ]; then
            printf '%s\n' "$candidate"
            return 0
        fi
    done
    return 1
}

if ! COLONY_JDK="$(colony_find_jdk)"; then
    cat >&2 <<'MSG'
colony: no JDK 25 found.
  Colony needs a Java 25 JDK (with javac). Looked at $JAVA_HOME and /usr/lib/jvm/*.
  Install one, for example Eclipse Temurin 25 (package temurin-25-jdk from the Adoptium
  apt repository) or any OpenJDK 25 build, then set JAVA_HOME to it or put it under /usr/lib/jvm.
MSG
    exit 1
fi
export JAVA_HOME="$COLONY_JDK"
export PATH="$JAVA_HOME/bin:$PATH"
