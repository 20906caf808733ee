import { parseByteSize } from '../../app/datasets/byte-sizes.js';

export interface CliOptions {
  command: 'start' | 'serve' | 'help';
  host: string;
  port: number | null;
  dataDir: string | null;
  token: string | null;
  browser: boolean;
  /** directories besides the data dir that API clients may load from and save to */
  allowDirs: string[];
  /** --memory-budget: bytes all loaded datasets may take together */
  memoryBudget: number | null;
}

const USAGE = `usage: faiss-explorer <start|serve> [--host 127.0.0.1] [--port N] [--data-dir DIR] [--token TOKEN] [--allow-dir DIR]... [--memory-budget SIZE] [--browser]
  start   the desktop app (Electron), or the same UI in your browser where Electron's runtime is missing
  serve   the engine headless: the HTTP API for scripts, serving saved indexes`;

export function usage(): string {
  return USAGE;
}

/** Parses argv; throws a message fit for the terminal on anything it does not understand. */
export function parseArgs(argv: string[]): CliOptions {
  const opts: CliOptions = { command: 'help', host: '127.0.0.1', port: null, dataDir: null, token: process.env.FAISS_EXPLORER_TOKEN ?? null, browser: false, allowDirs: [], memoryBudget: null };
  const rest = [...argv];
  const cmd = rest.shift();
  if (cmd === 'start' || cmd === 'serve') opts.command = cmd;
  else if (cmd && cmd !== 'help' && cmd !== '--help' && cmd !== '-h') throw new Error(`unknown command "${cmd}"\n${USAGE}`);
  while (rest.length) {
    const flag = rest.shift()!;
    const value = () => {
      const v = rest.shift();
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--host':
        opts.host = value();
        break;
      case '--port': {
        const p = Number(value());
        if (!Number.isInteger(p) || p < 0 || p > 65535) throw new Error('--port must be a whole number from 0 to 65535');
        opts.port = p;
        break;
      }
      case '--data-dir':
        opts.dataDir = value();
        break;
      case '--token':
        opts.token = value();
        break;
      case '--allow-dir':
        opts.allowDirs.push(value());
        break;
      case '--memory-budget': {
        const text = value();
        opts.memoryBudget = parseByteSize(text);
        if (opts.memoryBudget === null) throw new Error(`--memory-budget "${text}" is not a size (e.g. 8G, 512M)`);
        break;
      }
      case '--browser':
        opts.browser = true;
        break;
      default:
        throw new Error(`unknown option "${flag}"\n${USAGE}`);
    }
  }
  return opts;
}
