// Why: facts about sbt builds that the Scala buildpack and the Dockerfile export share. sbt is not in Debian, so
// minik fetches sbt's launcher itself, as Heroku's Scala buildpack does: one pinned jar, checked against its
// SHA-256; it only boots sbt, and the version each app builds with is its project/build.properties' sbt.version.

/** The sbt launcher minik fetches when an app has no sbt script and none is on PATH. */
export const SBT_LAUNCHER = Object.freeze({
  version: '1.11.7',
  url: 'https://repo1.maven.org/maven2/org/scala-sbt/sbt-launch/1.11.7/sbt-launch-1.11.7.jar',
  /** sha256sum of the jar (Maven Central's own .sha1 is 944fd5977882ceee10eeac579ce3571b0b4cbb5e). */
  sha256: 'f92a2095ac75008764fe3b2b793ffe624c4fbef5bfd9b0022e4bc2daf668c651',
  fileName: 'sbt-launch-1.11.7.jar',
});

/** True for a file where a build adds sbt plugins, by its path in the build: project/*.sbt. */
export function isProjectSbtFile(rel: string): boolean {
  return /^project\/[^/]+\.sbt$/.test(rel);
}

/** The text of a build's project/*.sbt files, from files by path (the buildpack's read from disk, the export's manifests). */
export function projectSbtText(files: Record<string, string>): string {
  return Object.keys(files).filter(isProjectSbtFile).sort().map((rel) => files[rel]).join('\n');
}

/** True when the text of a build's project/*.sbt files adds Play's sbt plugin (org.playframework, or com.typesafe.play before Play 3). */
export function usesPlay(projectSbtText: string): boolean {
  return /"(?:org\.playframework|com\.typesafe\.play)"\s*%\s*"sbt-plugin"/.test(projectSbtText);
}

/**
 * The `.profile.d/scala.sh` line of a Play app: no RUNNING_PID file. Why: Play refuses to start while that file
 * exists, and every dyno of a release runs from the same slug folder, so a second web dyno, or the restart of one
 * that crashed, saw the first one's file and exited ("This application is already running"); a restarted container
 * finds it too.
 */
export const PLAY_PROFILE_LINE = 'export JAVA_OPTS="-Dplay.server.pidfile.path=/dev/null${JAVA_OPTS:+ $JAVA_OPTS}"';
