// Shared pieces for the browser tests: a real talon-server on a free port with a fresh SQLite
// file, headless Debian Chromium through playwright-core, and the screenshot directory.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

const kHere = path.dirname(fileURLToPath(import.meta.url));
export const kRepoRoot = path.resolve(kHere, '..', '..');

export const kBuildDir = path.resolve(process.env.TALON_BUILD_DIR || path.join(kRepoRoot, 'build'));

/// The translation catalog the pages use, read from the source tree so tests follow its wording.
export function catalog(lang) {
  return JSON.parse(fs.readFileSync(path.join(kRepoRoot, 'assets', 'i18n', `${lang}.json`), 'utf8'));
}

/// Where screenshots go: $TALON_SCREENSHOT_DIR, else $TALON_BUILD_DIR/screenshots/<page>/.
export function screenshotDir(page) {
  const dir = process.env.TALON_SCREENSHOT_DIR || path.join(kBuildDir, 'screenshots', page);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/// One talon-server process on a fixed port and database; stop() and start() again keep both,
/// which is how a test restarts the server under a connected page.
export class TalonServer {
  /// `config`: the text of a talon-server config file; none: the demo office (logins required,
  /// demo accounts clerk1..clerk6 / "demo" and admin / "admin").
  constructor({ config = null } = {}) {
    this.binary = path.join(kBuildDir, 'server', 'talon-server');
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'talon-web-'));
    this.db = path.join(this.dir, 'talon.db');
    this.logPath = path.join(this.dir, 'server.log');
    this.configPath = null;
    if (config !== null) {
      this.configPath = path.join(this.dir, 'talon-server.toml');
      fs.writeFileSync(this.configPath, config);
    }
    this.port = 0;
    this.proc = null;
    this.exited = null;
  }

  get url() {
    return `http://127.0.0.1:${this.port}`;
  }

  async start() {
    if (!fs.existsSync(this.binary)) {
      throw new Error(`talon-server not found at ${this.binary}: build first (./talon build) or set TALON_BUILD_DIR`);
    }
    if (!this.port) this.port = await freePort();
    const log = fs.openSync(this.logPath, 'a');
    const args = ['--listen', `127.0.0.1:${this.port}`, '--db', this.db];
    if (this.configPath) args.push('--config', this.configPath);
    const proc = spawn(this.binary, args, {
      stdio: ['ignore', log, log],
    });
    fs.closeSync(log);
    this.proc = proc;
    this.exited = new Promise((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal })));
    let gone = null;
    this.exited.then((how) => {
      gone = how;
    });
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      if (gone) throw new Error(`talon-server exited during start-up (${JSON.stringify(gone)}):\n${this.log()}`);
      try {
        const res = await fetch(`${this.url}/api/v1/health`);
        if (res.status === 200) return;
      } catch {
        // not listening yet
      }
      await sleep(100);
    }
    await this.stop();
    throw new Error(`talon-server did not answer /api/v1/health with 200 within 10 s:\n${this.log()}`);
  }

  async stop() {
    const proc = this.proc;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
    await this.exited;
    clearTimeout(timer);
  }

  /// Synchronous last resort for process exit paths.
  killNow() {
    if (this.proc && this.proc.exitCode === null && this.proc.signalCode === null) this.proc.kill('SIGKILL');
  }

  log() {
    try {
      return fs.readFileSync(this.logPath, 'utf8').split('\n').slice(-60).join('\n');
    } catch {
      return '(no server log)';
    }
  }

  removeFiles() {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  /// JSON API call from the test itself (the "kiosk" or "another clerk" in a scenario).
  async api(method, apiPath, body, headers = {}) {
    const res = await fetch(`${this.url}/api/v1${apiPath}`, {
      method,
      headers: body === undefined ? headers : { 'Content-Type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let data = null;
    try {
      data = text ? JSON.parse(text) : null;
    } catch {
      data = text;
    }
    return { status: res.status, data };
  }

  /// Logs `login` in over the API and returns a client whose calls carry its session token
  /// (another clerk in a scenario, or the test tidying a window up).
  async clerk(login, password = 'demo') {
    const { status, data } = await this.api('POST', '/login', { login, password });
    if (status !== 200) throw new Error(`login ${login} answered ${status}: ${JSON.stringify(data)}`);
    const auth = { Authorization: `Bearer ${data.token}` };
    return {
      token: data.token,
      api: (method, apiPath, body) => this.api(method, apiPath, body ?? (method === 'POST' ? {} : undefined), auth),
    };
  }

  async issue(service) {
    const { status, data } = await this.api('POST', '/tickets', { service });
    if (status !== 201) throw new Error(`POST /tickets {service: ${service}} answered ${status}: ${JSON.stringify(data)}`);
    return data;
  }
}

export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.TALON_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/// Waits until `selector`'s text equals `expected`; on timeout fails with the text it had.
export async function expectText(page, selector, expected, timeout = 5000) {
  try {
    await page.waitForFunction(
      ([sel, want]) => document.querySelector(sel)?.textContent.trim() === want,
      [selector, expected],
      { timeout },
    );
  } catch {
    const actual = await page.locator(selector).first().textContent().catch(() => '(missing)');
    assert.equal(actual?.trim(), expected, `text of ${selector}`);
  }
}
