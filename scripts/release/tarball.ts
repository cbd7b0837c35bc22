/** The self-contained tarball: patrol-<version>-linux-<arch>/ holding the tree and install.sh. */
import { join } from 'node:path';
import { reproducibleTar, sh } from './exec.ts';

export function tarball(opts: {
  workDir: string;
  name: string;
  out: string;
  epoch: number;
}): string {
  const file = join(opts.out, `${opts.name}.tar.gz`);
  sh('tar', [...reproducibleTar(opts.epoch), '-czf', file, '-C', opts.workDir, opts.name]);
  return file;
}
