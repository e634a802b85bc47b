#!/usr/bin/env node
// The `squall` command: runs the bundled CLI (npm run build makes dist/cli/index.js).
import '../dist/cli/index.js'
