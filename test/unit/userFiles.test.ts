// Files the user hands us (src/core/userFiles.ts): read only regular files, refused by size before
// a byte is read, decoded as strict UTF-8 with the line of the first bad byte; written without
// following a symbolic link, creating new files exclusively and replacing only when asked.
// Each test is named after the finding of issue 10 ("untrusted input never acts") it covers.

import { after, before, describe, mock, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  promises as fsp,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
  existsSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import {
  FILE_TYPE,
  decodeUtf8,
  firstInvalidUtf8Offset,
  isInsideFolder,
  readUserFile,
  refuseToRead,
  refuseToWrite,
  userFileText,
  writeUserFile,
} from '../../src/core/userFiles';

let dir = '';
before(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'vbot-userfiles-'));
});
after(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

let counter = 0;
const fresh = (name: string) => path.join(dir, `${++counter}-${name}`);

describe('non-UTF-8 imports', () => {
  // "Khách hàng" in Windows-1258: á is E1, à is E0, both lone bytes that start no UTF-8 sequence.
  const windows1258Line = Buffer.from([0x4b, 0x68, 0xe1, 0x63, 0x68, 0x20, 0x68, 0xe0, 0x6e, 0x67]);

  test('non-UTF-8 imports: a Windows-1258 CSV is refused, naming the line of the first bad byte, not imported as U+FFFD', async () => {
    const file = fresh('types.csv');
    writeFileSync(
      file,
      Buffer.concat([
        Buffer.from('vbot_id,project_code,type_no,type_name\r\nVB,P,VIP,Vip\r\nVB,P,KH,'),
        windows1258Line,
        Buffer.from('\r\nVB,P,X,'),
        windows1258Line,
        Buffer.from('\r\n'),
      ]),
    );
    const read = await readUserFile(file, 5 * 1024 * 1024);
    assert.deepEqual(read, { ok: false, reason: 'notUtf8', line: 3, offset: 64 }); // the E1 of "Khách"
  });

  test('non-UTF-8 imports: UTF-8 text is read as it is, a UTF-8 BOM dropped', async () => {
    const file = fresh('types.csv');
    writeFileSync(file, '\uFEFFtype_no,type_name\nVIP,Khách hàng VIP 😀\n', 'utf8');
    assert.deepEqual(await readUserFile(file, 1000), { ok: true, text: 'type_no,type_name\nVIP,Khách hàng VIP 😀\n' });
  });

  test('non-UTF-8 imports: a UTF-16 file (Excel "Unicode Text") is refused at line 1', () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('type_no\r\nVIP\r\n', 'utf16le')]);
    assert.deepEqual(decodeUtf8(bytes), { ok: false, reason: 'notUtf8', line: 1, offset: 0 });
  });

  test('non-UTF-8 imports: overlong forms, surrogates, code points above U+10FFFF and cut sequences are refused where they start', () => {
    const cases: Array<[number[], number]> = [
      [[0x41, 0xc0, 0x80], 1], // overlong NUL
      [[0x41, 0xe0, 0x9f, 0xbf], 1], // overlong 3-byte
      [[0x0a, 0x41, 0xed, 0xa0, 0x80], 2], // a surrogate
      [[0xf4, 0x90, 0x80, 0x80], 0], // above U+10FFFF
      [[0x41, 0x42, 0xe1, 0xba], 2], // cut short at the end
      [[0xc3, 0xa1, 0x80], 2], // a stray continuation byte
      [[0xf5, 0x80, 0x80, 0x80], 0],
      [[0x41, 0xe1, 0xba, 0xa1, 0xf0, 0x9f, 0x98, 0x80], -1], // ạ 😀: fine
    ];
    for (const [bytes, offset] of cases) assert.equal(firstInvalidUtf8Offset(Uint8Array.from(bytes)), offset, JSON.stringify(bytes));
  });

  test('non-UTF-8 imports: the offset found is exactly where TextDecoder stops accepting (property)', () => {
    const fatal = (bytes: Uint8Array) => {
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(bytes);
        return true;
      } catch {
        return false;
      }
    };
    // Mostly valid UTF-8 with a few bytes changed, so the bad byte is anywhere.
    const arbitrary = fc
      .tuple(fc.string({ unit: 'binary', maxLength: 40 }), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 3 }))
      .map(([text, edits]) => {
        const bytes = Buffer.from(text, 'utf8');
        for (const [at, value] of edits) if (bytes.length > 0) bytes[at % bytes.length] = value;
        return new Uint8Array(bytes);
      });
    fc.assert(
      fc.property(fc.oneof(arbitrary, fc.uint8Array({ maxLength: 12 })), (bytes) => {
        const offset = firstInvalidUtf8Offset(bytes);
        assert.equal(offset === -1, fatal(bytes));
        if (offset === -1) return;
        assert.ok(fatal(bytes.subarray(0, offset)), 'everything before the offset decodes');
        assert.ok(!fatal(bytes.subarray(offset, offset + 4)), 'the sequence at the offset does not');
        const decoded = decodeUtf8(bytes);
        assert.ok(!decoded.ok && decoded.line === 1 + bytes.subarray(0, offset).filter((b) => b === 0x0a).length);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('size before reading', () => {
  test('size before reading: a 200 MB file is refused by its size, and never opened or read; exactly the limit is read', async () => {
    const file = fresh('huge.json');
    writeFileSync(file, '');
    truncateSync(file, 200 * 1024 * 1024); // sparse: costs no disk
    const open = mock.method(fsp, 'open');
    const readFile = mock.method(fsp, 'readFile');
    try {
      const read = await readUserFile(file, 5 * 1024 * 1024);
      assert.deepEqual(read, { ok: false, reason: 'tooLarge', size: 200 * 1024 * 1024, max: 5 * 1024 * 1024 });
      assert.equal(open.mock.callCount() + readFile.mock.callCount(), 0);
    } finally {
      open.mock.restore();
      readFile.mock.restore();
    }
    const limit = fresh('limit.csv');
    writeFileSync(limit, 'x'.repeat(100));
    assert.deepEqual(await readUserFile(limit, 100), { ok: true, text: 'x'.repeat(100) });
    assert.deepEqual(await readUserFile(limit, 99), { ok: false, reason: 'tooLarge', size: 100, max: 99 });
  });

  test(
    'size before reading: a directory, a FIFO and a missing file are refused, without waiting on the FIFO',
    { skip: process.platform === 'win32', timeout: 10_000 },
    async () => {
      const folder = fresh('folder.json');
      mkdirSync(folder);
      assert.deepEqual(await readUserFile(folder, 1000), { ok: false, reason: 'notFile' });
      const fifo = fresh('fifo.json');
      execFileSync('mkfifo', [fifo]);
      assert.deepEqual(await readUserFile(fifo, 1000), { ok: false, reason: 'notFile' });
      assert.deepEqual(await readUserFile(fresh('missing.json'), 1000), { ok: false, reason: 'notFound' });
      // A symbolic link to a regular file is read: the user chose it.
      const target = fresh('target.csv');
      writeFileSync(target, 'a,b\n');
      const link = fresh('link.csv');
      symlinkSync(target, link);
      assert.deepEqual(await readUserFile(link, 1000), { ok: true, text: 'a,b\n' });
    },
  );
});

describe('writing files', { skip: process.platform === 'win32' }, () => {
  test('writing files: a dangling symlink is refused and its target is not created', async () => {
    const outside = fresh('outside');
    mkdirSync(outside);
    const target = path.join(outside, 'planted.json');
    const link = fresh('vbot-types.json');
    symlinkSync(target, link);
    for (const replace of [false, true]) {
      assert.deepEqual(await writeUserFile(link, '{}\n', { replace }), { ok: false, reason: 'symlink' });
      assert.equal(existsSync(target), false, 'the target was created');
      assert.ok(lstatSync(link).isSymbolicLink(), 'the link itself is left as it is');
    }
  });

  test('writing files: a symlink to an existing file is refused and the target is unchanged', async () => {
    const target = fresh('precious.txt');
    writeFileSync(target, 'keep me\n');
    const link = fresh('export.csv');
    symlinkSync(target, link);
    for (const replace of [false, true]) {
      assert.deepEqual(await writeUserFile(link, 'overwritten\n', { replace }), { ok: false, reason: 'symlink' });
      assert.equal(readFileSync(target, 'utf8'), 'keep me\n');
    }
  });

  test('writing files: a new file is created, and never writable by others (0o644, even under umask 0)', async () => {
    const file = fresh('new.json');
    const umask = process.umask(0);
    try {
      assert.deepEqual(await writeUserFile(file, 'Khách hàng\n', { replace: false }), { ok: true, created: true });
    } finally {
      process.umask(umask);
    }
    assert.equal(readFileSync(file, 'utf8'), 'Khách hàng\n');
    assert.equal(statSync(file).mode & 0o777, 0o644);
  });

  test('writing files: an existing regular file is replaced when replace is true, refused when false', async () => {
    const file = fresh('existing.csv');
    writeFileSync(file, 'a much longer old content that must not survive the write\n');
    assert.deepEqual(await writeUserFile(file, 'new\n', { replace: false }), { ok: false, reason: 'exists' });
    assert.equal(readFileSync(file, 'utf8'), 'a much longer old content that must not survive the write\n');
    assert.deepEqual(await writeUserFile(file, 'new\n', { replace: true }), { ok: true, created: false });
    assert.equal(readFileSync(file, 'utf8'), 'new\n');
  });

  test('writing files: a directory or a FIFO is not written to', async () => {
    const folder = fresh('folder.csv');
    mkdirSync(folder);
    assert.deepEqual(await writeUserFile(folder, 'x', { replace: true }), { ok: false, reason: 'notFile' });
    const fifo = fresh('fifo.csv');
    execFileSync('mkfifo', [fifo]);
    assert.deepEqual(await writeUserFile(fifo, 'x', { replace: true }), { ok: false, reason: 'notFile' });
  });

  test('writing files: a missing folder is an error with its reason, not a throw', async () => {
    const result = await writeUserFile(path.join(fresh('nowhere'), 'x.json'), 'x', { replace: false });
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.reason, 'unwritable');
  });
});

describe('writing files: where a command argument points', () => {
  test('writing files: inside a workspace folder or not, by path', () => {
    assert.equal(isInsideFolder('/ws/project/vbot-types.json', '/ws/project', 'linux'), true);
    assert.equal(isInsideFolder('/ws/project', '/ws/project', 'linux'), true);
    assert.equal(isInsideFolder('/ws/project/sub/../x.csv', '/ws/project', 'linux'), true);
    assert.equal(isInsideFolder('/ws/project/..hidden/x.csv', '/ws/project', 'linux'), true);
    assert.equal(isInsideFolder('/ws/project/../other/x.csv', '/ws/project', 'linux'), false);
    assert.equal(isInsideFolder('/ws/project-2/x.csv', '/ws/project', 'linux'), false);
    assert.equal(isInsideFolder('/home/me/.bashrc', '/ws/project', 'linux'), false);
    assert.equal(isInsideFolder('C:\\Work\\Project\\x.csv', 'c:\\work\\project', 'win32'), true);
    assert.equal(isInsideFolder('D:\\Work\\Project\\x.csv', 'c:\\work\\project', 'win32'), false);
  });
});

// Remote and virtual workspaces (issue 12): files that are not on this machine go through vscode.workspace.fs
// (src/vscode/workspaceFiles.ts), which decides from a stat with these functions.
describe("files through VS Code's file system API", () => {
  const { unknown, file, directory, symbolicLink } = FILE_TYPE;
  const notFile = { ok: false, reason: 'notFile' };

  test("files through VS Code's file system API: FILE_TYPE holds vscode.FileType's values", () => {
    const dts = readFileSync(require.resolve('@types/vscode/index.d.ts'), 'utf8');
    const body = /export enum FileType \{([\s\S]*?)\n\t\}/.exec(dts)?.[1] ?? '';
    const values = Object.fromEntries([...body.matchAll(/(\w+) = (\d+)/g)].map((m) => [m[1], Number(m[2])]));
    assert.deepEqual(values, { Unknown: unknown, File: file, Directory: directory, SymbolicLink: symbolicLink });
  });

  test("files through VS Code's file system API: reading is refused by kind and size from the stat, before a byte is read", () => {
    assert.equal(refuseToRead({ type: file, size: 100 }, 100), undefined);
    assert.equal(refuseToRead({ type: file | symbolicLink, size: 10 }, 100), undefined, 'a link to a file is read, as readUserFile does');
    assert.deepEqual(refuseToRead({ type: file, size: 101 }, 100), { ok: false, reason: 'tooLarge', size: 101, max: 100 });
    assert.deepEqual(refuseToRead({ type: directory, size: 0 }, 100), notFile);
    assert.deepEqual(refuseToRead({ type: directory | symbolicLink, size: 0 }, 100), notFile);
    assert.deepEqual(refuseToRead({ type: unknown, size: 0 }, 100), notFile, 'a FIFO or a device');
  });

  test("files through VS Code's file system API: the bytes read are checked again for size, then decoded as strict UTF-8", () => {
    assert.deepEqual(userFileText(new Uint8Array(101), 100), { ok: false, reason: 'tooLarge', size: 101, max: 100 }, 'grew since the stat');
    assert.deepEqual(userFileText(Buffer.from('\uFEFFa,b\nKhách\n'), 100), { ok: true, text: 'a,b\nKhách\n' });
    assert.deepEqual(userFileText(Buffer.from([0x61, 0x0a, 0x4b, 0x68, 0xe1, 0x63, 0x68]), 100), {
      ok: false,
      reason: 'notUtf8',
      line: 2,
      offset: 4,
    });
  });

  test("files through VS Code's file system API: never written through a link (a dangling one too), replaced only when asked", () => {
    assert.equal(refuseToWrite(undefined, { replace: false }), undefined, 'a new file');
    assert.equal(refuseToWrite({ type: file, size: 3 }, { replace: true }), undefined);
    assert.deepEqual(refuseToWrite({ type: file, size: 3 }, { replace: false }), { ok: false, reason: 'exists' });
    assert.deepEqual(refuseToWrite({ type: file | symbolicLink, size: 3 }, { replace: true }), { ok: false, reason: 'symlink' });
    // VS Code's disk provider reports a dangling link as Unknown | SymbolicLink.
    assert.deepEqual(refuseToWrite({ type: unknown | symbolicLink, size: 0 }, { replace: true }), { ok: false, reason: 'symlink' });
    assert.deepEqual(refuseToWrite({ type: directory, size: 0 }, { replace: true }), notFile);
    assert.deepEqual(refuseToWrite({ type: unknown, size: 0 }, { replace: true }), notFile);
  });
});
