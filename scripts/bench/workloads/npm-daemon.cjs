// The npm `daemon` package (1.1): re-spawns this script detached and exits at once.
// Its default cwd is the function process.cwd, which Node >= 8 rejects, so pass one.
const { writeFileSync } = require('node:fs');

const pidfile = process.argv[2];
if (!process.env.__daemon) require('daemon')({ cwd: '/' });
writeFileSync(pidfile, `${process.pid}\n`);
setInterval(() => {}, 1 << 30);
