// Why: one import path for the pure parsers of the files an app ships (Procfile, .env).
export { parseProcfile, stripTrailingComment } from './procfile.js';
export { parseDotenv } from './dotenv.js';
