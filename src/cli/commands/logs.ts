// Why: `minik logs` shows the app's, the router's and minik's lines in Heroku's format; -t follows them.
import { invalid } from '../../core/errors.js';
import { parseDynoName, isProcessType } from '../../core/names.js';
import { resolveApp, withApp } from '../app.js';
import { parseLineCount } from '../args.js';
import { paletteFor } from '../color.js';
import { defineCommand } from '../command.js';
import { onInterrupt } from '../interrupt.js';
import { readerGone, renderLogLine, streamLogs, writeOrWait, type LogQuery } from '../log-stream.js';

interface Args { app?: string; num?: number; tail?: boolean; dyno?: string; source?: string; json?: boolean }

const SOURCES = ['app', 'minik', 'router'];

/** The query for `minik logs` flags, validated. */
export function logQueryFrom(argv: Args): LogQuery {
  const dyno = argv.dyno === undefined ? undefined : String(argv.dyno);
  if (dyno !== undefined && !parseDynoName(dyno) && !isProcessType(dyno)) {
    throw invalid(`--dyno '${dyno}' is neither a dyno nor a process type`, 'e.g. --dyno web.1 or --dyno web');
  }
  if (argv.source !== undefined && !SOURCES.includes(argv.source)) {
    throw invalid(`--source '${argv.source}' is not one of ${SOURCES.join(', ')}`, 'e.g. --source app');
  }
  return { n: parseLineCount(argv.num ?? 100), tail: argv.tail === true, dyno, source: argv.source };
}

/** `minik logs [-n N] [-t] [-d DYNO] [-s SOURCE] [--json]`. */
export default defineCommand<Args>({
  command: 'logs',
  describe: "show the app's logs (-t to follow them)",
  group: 'Logs',
  builder: (y) => withApp(y)
    .option('num', { alias: 'n', type: 'number', default: 100, describe: 'how many recent lines (at most 1500)' })
    .option('tail', { alias: 't', type: 'boolean', describe: 'keep following new lines until Ctrl-C' })
    .option('dyno', { alias: ['d', 'ps'], type: 'string', describe: 'only this dyno or process type (web.1, web, router)' })
    .option('source', { alias: 's', type: 'string', describe: 'only lines from app, minik or router' })
    .option('json', { type: 'boolean', describe: 'print one JSON object per line' }),
  handler: async (argv) => {
    const query = logQueryFrom(argv);
    const app = await resolveApp(argv);
    const p = paletteFor(process.stdout);
    const print = (l: Parameters<typeof renderLogLine>[0]) =>
      writeOrWait(process.stdout, `${argv.json ? JSON.stringify(l) : renderLogLine(l, p)}\n`);
    const stop = new AbortController();
    const interrupt = onInterrupt();
    void interrupt.signal.then(() => stop.abort());
    void readerGone(process.stdout).then(() => stop.abort());
    const how = await streamLogs(app, query, print, stop.signal).finally(() => interrupt.stop());
    if (how === 'dropped') process.stderr.write(paletteFor(process.stderr).dim('minik: the daemon closed the log stream\n'));
  },
});
