import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startEmulator } from './index.js';

/** Runs a script in a fresh Node process and reports how it ended (no fixed sleeps: it exits or is killed). */
function runNode(args: string[], timeoutMs: number): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string; timedOut: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, timedOut });
    });
  });
}

describe('close()', () => {
  // Regression guard: a server, keep-alive socket or latency timer left open would keep the
  // bridge's test process (and the sandbox) from exiting.
  it('leaves no open handles: a process that used the emulator exits on its own after close()', async () => {
    const result = await runNode([fileURLToPath(new URL('./fixtures/close-exits.ts', import.meta.url))], 20_000);
    expect(result.timedOut, result.stderr).toBe(false);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('closed; held request dropped');
  });

  it('is idempotent and frees both ports', async () => {
    const emu = await startEmulator();
    await Promise.all([emu.close(), emu.close()]);
    await expect(fetch(emu.tokenUrl, { method: 'POST' })).rejects.toThrow();
    await expect(fetch(`${emu.apiUrl}/identity/connected-agents`)).rejects.toThrow();
  });
});

describe('CLI (main.ts)', () => {
  it('prints the issuer, token URL, API URL and client, and stops cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./main.ts', import.meta.url)), '--auth-port', '0', '--api-port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const deadline = Date.now() + 15_000;
    while (!out.includes('Press Ctrl+C') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    try {
      expect(out).toMatch(/issuer +http:\/\/127\.0\.0\.1:\d+/);
      expect(out).toMatch(/token URL +http:\/\/127\.0\.0\.1:\d+\/oauth\/token/);
      expect(out).toContain('client ID     cdaas-emulator-sandbox');
      expect(out).toContain('throwaway credential');
      // The printed URLs really serve.
      const apiUrl = /API URL +(\S+)/.exec(out)![1]!;
      expect((await fetch(`${apiUrl}/identity/connected-agents`)).status).toBe(401);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(out).toContain('SIGTERM: stopping the emulator');
  });

  it('refuses a bad port with a message naming the option', async () => {
    const result = await runNode([fileURLToPath(new URL('./main.ts', import.meta.url)), '--api-port', 'abc'], 15_000);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--api-port: expected an integer >= 0, got abc');
  });
});
