// sbt's coursier output when a plugin's only repositories cannot be reached (heroku/scala-getting-started's
// sbt-giter8-scaffold, which lives on repo.scala-sbt.org), read into the build's one-sentence error.
import { describe, expect, it } from 'vitest';
import { isResolverLine, unreachableMessage, unreachableRepositories } from '../../../src/buildpacks/unreachable.js';

const SBT_OUTPUT = [
  '[info] loading settings for project app-build from plugins.sbt...',
  '[error] sbt.librarymanagement.ResolveException: Error downloading org.foundweekends.giter8:sbt-giter8-scaffold;sbtVersion=1.0;scalaVersion=2.12:0.18.0',
  '[error]   Not found',
  '[error]   not found: https://repo1.maven.org/maven2/org/foundweekends/giter8/sbt-giter8-scaffold_2.12_1.0/0.18.0/sbt-giter8-scaffold-0.18.0.pom',
  '[error]   download error: Caught java.net.UnknownHostException (repo.scala-sbt.org) while downloading https://repo.scala-sbt.org/scalasbt/sbt-plugin-releases/org.foundweekends.giter8/sbt-giter8-scaffold/scala_2.12/sbt_1.0/0.18.0/ivys/ivy.xml',
  '[error]   download error: Caught java.net.ConnectException (Connection refused) while downloading https://repo.typesafe.com/typesafe/ivy-releases/org.foundweekends.giter8/sbt-giter8-scaffold/scala_2.12/sbt_1.0/0.18.0/ivys/ivy.xml',
  '[error] \tat lmcoursier.CoursierDependencyResolution.unresolvedWarningOrThrow(CoursierDependencyResolution.scala:347)',
];

describe('repositories sbt (coursier) could not reach', () => {
  it('names each unreachable host once, with the module it was asked for; a repository that answered "not found" is not one', () => {
    expect(unreachableRepositories(SBT_OUTPUT.filter(isResolverLine))).toEqual([
      { repository: 'repo.scala-sbt.org', url: 'https://repo.scala-sbt.org/', artifacts: ['org.foundweekends.giter8:sbt-giter8-scaffold:0.18.0'] },
      { repository: 'repo.typesafe.com', url: 'https://repo.typesafe.com/', artifacts: ['org.foundweekends.giter8:sbt-giter8-scaffold:0.18.0'] },
    ]);
  });

  it('names a jar by its file name when it failed after resolution (coursier\'s "Error fetching artifacts")', () => {
    const lines = [
      '[error] lmcoursier.internal.shaded.coursier.error.FetchError$DownloadingArtifacts: Error fetching artifacts:',
      '[error] https://repo1.maven.org/maven2/org/scala-lang/scala-library/2.13.16/scala-library-2.13.16.jar: download error: Caught java.net.ConnectException (Connection refused) while downloading https://repo1.maven.org/maven2/org/scala-lang/scala-library/2.13.16/scala-library-2.13.16.jar',
    ];
    expect(lines.map(isResolverLine)).toEqual([false, true]);
    expect(unreachableRepositories(lines)).toEqual([{ repository: 'repo1.maven.org', url: 'https://repo1.maven.org/', artifacts: ['scala-library-2.13.16.jar'] }]);
  });

  it('says it in one sentence', () => {
    expect(unreachableMessage('sbt', unreachableRepositories(SBT_OUTPUT))).toBe('sbt could not download org.foundweekends.giter8:sbt-giter8-scaffold:0.18.0: '
      + 'the repositories repo.scala-sbt.org (https://repo.scala-sbt.org/) and repo.typesafe.com (https://repo.typesafe.com/) cannot be reached from this machine');
  });

  it('finds nothing when every repository answered (a module that does not exist is the build\'s own error)', () => {
    expect(unreachableRepositories(SBT_OUTPUT.filter((l) => !l.includes('download error')))).toEqual([]);
    expect(isResolverLine('[info] compiling 1 Scala source')).toBe(false);
  });
});
