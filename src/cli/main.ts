import * as core from '@actions/core'
import { Command } from 'commander'
const p = new Command('squall')
p.command('hello').action(() => core.info('hi'))
await p.parseAsync(process.argv)
