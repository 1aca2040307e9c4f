// The file discipline of the cache and the journal (src/core/atomicFile.ts): a storage folder that
// cannot be written fails fast with an error the VS Code layer recognises, files we create are for
// this user only, a rewrite keeps the mode a user chose, and a save replaces the file, never edits it.
import { test, describe, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LocalSaveError, withFileLock, type LockFileSystem } from '../../src/core/atomicFile';
import { readFileAndMode, writeFileAtomically } from '../../src/core/atomicWrite';
import { CustomerTypeCache } from '../../src/core/cache/customerTypeCache';

let directory: string;
let file: string;

beforeEach(() => {
  directory = fs.mkdtempSync(path.join(os.tmpdir(), 'vbot-atomic-test-'));
  file = path.join(directory, 'customer-types.json');
});

afterEach(() => {
  fs.rmSync(directory, { recursive: true, force: true });
});

/** A file system error as Node makes it. */
function fsError(code: string, syscall: string, target: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: simulated, ${syscall} '${target}'`), { code, syscall, path: target });
}

/**
 * The real `fs`, except that creating the lock directory fails with `code`: a storage folder that is
 * read-only (EROFS), not ours (EACCES, EPERM) or full (ENOSPC). Tests run as root, where chmod does
 * not stop a write, so the failure is injected instead.
 */
function lockFsFailingWith(code: string): LockFileSystem {
  const failingMkdir = (target: fs.PathLike, ...rest: unknown[]) => {
    const callback = rest.pop() as (error: NodeJS.ErrnoException | null) => void;
    if (String(target).endsWith('.lock')) {
      setImmediate(() => callback(fsError(code, 'mkdir', String(target))));
      return;
    }
    (fs.mkdir as (...args: unknown[]) => void)(target, ...rest, callback);
  };
  return { ...fs, mkdir: failingMkdir } as unknown as LockFileSystem;
}

/** Runs the umask-sensitive part with a umask that would let anyone read a new file (0000). */
async function withOpenUmask<T>(work: () => Promise<T>): Promise<T> {
  const previous = process.umask(0o000);
  try {
    return await work();
  } finally {
    process.umask(previous);
  }
}

const modeOf = (target: string) => fs.statSync(target).mode & 0o777;

describe('lock retries only "already locked"', () => {
  for (const code of ['EACCES', 'EROFS', 'EPERM', 'ENOSPC']) {
    test(
      `lock retries only "already locked": ${code} from a read-only or full storage folder fails within 1 s as LocalSaveError`,
      { timeout: 30_000 },
      async () => {
        let worked = false;
        const started = performance.now();
        const error = await withFileLock(
          file,
          'cache',
          async () => {
            worked = true;
          },
          { lockFileSystem: lockFsFailingWith(code) },
        ).then(
          () => undefined,
          (e: unknown) => e,
        );
        const elapsed = performance.now() - started;

        assert.ok(error instanceof LocalSaveError, `expected a LocalSaveError, got ${String(error)}`);
        assert.equal(error.code, code);
        assert.equal(error.path, `${file}.lock`);
        assert.equal(error.folder, directory);
        assert.equal(error.reason, code === 'ENOSPC' ? 'diskFull' : 'notWritable');
        assert.ok(elapsed < 1_000, `failed after ${elapsed.toFixed(0)} ms; only ELOCKED may be retried`);
        assert.equal(worked, false, 'nothing may be written without the lock');
      },
    );
  }

  test('lock retries only "already locked": a storage folder that cannot be made (its parent is a file) fails at once as LocalSaveError', async () => {
    fs.writeFileSync(path.join(directory, 'not-a-folder'), '');
    const target = path.join(directory, 'not-a-folder', 'storage', 'customer-types.json');
    const started = performance.now();
    const error = await withFileLock(target, 'cache', async () => undefined).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(error instanceof LocalSaveError, `expected a LocalSaveError, got ${String(error)}`);
    assert.ok(['ENOTDIR', 'EEXIST'].includes(error.code), error.code);
    assert.equal(error.path, path.dirname(target));
    assert.ok(performance.now() - started < 1_000);
  });

  test(
    'lock retries only "already locked": the cache\'s save fails within 1 s when its lock cannot be made (name too long for the lock)',
    { timeout: 30_000 },
    async () => {
      // A real, root-proof failure of the lock's mkdir: the cache file's name fits (251 bytes), the
      // lock directory's name (+ ".lock") does not (NAME_MAX is 255). It used to be retried for ~15 s.
      const cache = new CustomerTypeCache(path.join(directory, 'x'.repeat(251)));
      const started = performance.now();
      const error = await cache.addProject('v', 'p').then(
        () => undefined,
        (e: unknown) => e,
      );
      const elapsed = performance.now() - started;
      assert.ok(error instanceof LocalSaveError, `expected a LocalSaveError, got ${String(error)}`);
      assert.equal(error.code, 'ENAMETOOLONG');
      assert.ok(elapsed < 1_000, `failed after ${elapsed.toFixed(0)} ms`);
    },
  );

  test('a failed local save is recognisable: a full disk while writing the temp file rejects with LocalSaveError, the old file intact, no temp file left', async (t) => {
    fs.writeFileSync(file, 'old content');
    const realOpen = fs.promises.open;
    t.mock.method(fs.promises, 'open', async (target: fs.PathLike, ...rest: unknown[]) => {
      if (String(target).includes('.tmp-')) throw fsError('ENOSPC', 'open', String(target));
      return (realOpen as (...args: unknown[]) => Promise<fs.promises.FileHandle>)(target, ...rest);
    });
    const error = await writeFileAtomically(file, Buffer.from('new content')).then(
      () => undefined,
      (e: unknown) => e,
    );
    t.mock.restoreAll();
    assert.ok(error instanceof LocalSaveError, `expected a LocalSaveError, got ${String(error)}`);
    assert.equal(error.code, 'ENOSPC');
    assert.equal(error.reason, 'diskFull');
    assert.equal(fs.readFileSync(file, 'utf8'), 'old content');
    assert.deepEqual(fs.readdirSync(directory), ['customer-types.json']);
  });
});

describe('files we create are 0600; a rewrite keeps the mode', () => {
  test('files we create are 0600: a new file and its temp file, whatever the umask', async () => {
    let tempMode = -1;
    await withOpenUmask(() =>
      writeFileAtomically(file, Buffer.from('{}\n'), () => {
        const temp = fs.readdirSync(directory).find((name) => name.includes('.tmp-'));
        assert.ok(temp, 'the temp file exists before the rename');
        tempMode = modeOf(path.join(directory, temp));
      }),
    );
    assert.equal(tempMode.toString(8), '600');
    assert.equal(modeOf(file).toString(8), '600');
  });

  test('files we create are 0600: the cache file a first save creates', async () => {
    const cache = new CustomerTypeCache(file);
    await withOpenUmask(() => cache.addProject('v', 'p'));
    assert.equal(modeOf(file).toString(8), '600');
  });

  test("a rewrite keeps the existing file's mode (a cache the user made 0640 stays 0640)", async () => {
    const cache = new CustomerTypeCache(file);
    await cache.addProject('v', 'p');
    fs.chmodSync(file, 0o640);
    const inodeBefore = fs.statSync(file).ino;
    await withOpenUmask(() => cache.upsertType('v', 'p', { typeNo: 'A', typeName: 'Ay' }));
    assert.notEqual(fs.statSync(file).ino, inodeBefore, 'rewritten, not changed in place');
    assert.equal(modeOf(file).toString(8), '640');
    assert.match(fs.readFileSync(file, 'utf8'), /"typeNo": "A"/);
  });
});

describe('atomic replacement', () => {
  test('a cache save replaces the file by rename and never truncates it in place: new inode, and a reader of the old file reads it whole', async () => {
    const cache = new CustomerTypeCache(file);
    for (let i = 0; i < 200; i++) await cache.upsertType('v', 'p', { typeNo: `T${i}`, typeName: `Khách hàng ${i}` });
    const oldText = fs.readFileSync(file, 'utf8');
    const oldInode = fs.statSync(file).ino;
    // A reader that opened the file before the save, and reads it only afterwards.
    const reader = fs.openSync(file, 'r');
    try {
      await cache.removeProject('v', 'p');
      const newText = fs.readFileSync(file, 'utf8');
      assert.notEqual(newText, oldText);
      assert.notEqual(fs.statSync(file).ino, oldInode, 'the path must name a new file (rename), not the old one rewritten');

      const size = fs.fstatSync(reader).size;
      assert.equal(size, Buffer.byteLength(oldText), 'the old file was not truncated');
      const buffer = Buffer.alloc(size);
      assert.equal(fs.readSync(reader, buffer, 0, size, 0), size);
      assert.equal(buffer.toString('utf8'), oldText, 'the old file still holds its complete content');
    } finally {
      fs.closeSync(reader);
    }
  });
});

describe('reading a file with its mode', () => {
  test('reading a file with its mode: the exact bytes (empty, small, several MiB) and the permission bits; null when there is no file', async () => {
    assert.equal(await readFileAndMode(file), null);
    for (const size of [0, 1, 4096, 3 * 1024 * 1024 + 7]) {
      const bytes = Buffer.alloc(size);
      for (let i = 0; i < size; i++) bytes[i] = (i * 31 + size) & 0xff;
      fs.writeFileSync(file, bytes);
      fs.chmodSync(file, 0o640);
      const read = await readFileAndMode(file);
      assert.ok(read);
      assert.ok(read.bytes.equals(bytes), `size ${size}`);
      assert.equal(read.mode.toString(8), '640');
    }
  });
});
