// Preloaded (NODE_OPTIONS=--import) into a process started by a fault test: writes the process's exit code to
// $KRT_EXIT_CODE_FILE, so a test can tell a clean exit (0) from a failed or deadline-forced one of a detached process.
import fs from 'node:fs';

const file = process.env.KRT_EXIT_CODE_FILE;
if (file) {
  process.on('exit', (code) => {
    try {
      fs.writeFileSync(file, String(code));
    } catch {
      /* nothing to report to */
    }
  });
}
