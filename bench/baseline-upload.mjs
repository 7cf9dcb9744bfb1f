// The baseline a user would write after `curl -o file`: a bare uploadArtifact() of that one file, unzipped.
import { DefaultArtifactClient } from '@actions/artifact'
import path from 'node:path'

const file = process.argv[2]
const { id } = await new DefaultArtifactClient().uploadArtifact(path.basename(file), [file], path.dirname(file), {
  skipArchive: true,
})
console.log(`artifact ${id}`)
