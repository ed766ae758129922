// Why: what a JVM app's system.properties asks for, read once for the buildpacks (which pick an installed JDK by
// it) and the Dockerfile export (which picks the image by it), so a build and its export agree.

/** `java.runtime.version` from system.properties text, or null. */
export function requestedJavaVersion(properties: string): string | null {
  const m = /^\s*java\.runtime\.version\s*[=:]\s*(\S+)\s*$/m.exec(properties);
  return m ? m[1]! : null;
}

/** The major version a requested or reported version means: "1.8" → 8, "17.0.2" → 17, "zulu-21" → 21; null when none. */
export function javaMajor(version: string): number | null {
  const digits = /(\d+)(?:\.(\d+))?/.exec(version);
  if (!digits) return null;
  const first = Number(digits[1]);
  return first === 1 && digits[2] !== undefined ? Number(digits[2]) : first;
}
