import type { Command } from 'commander';
import { addCalibrationCommands } from './calibration-commands.js';
import { addCollectionCommands } from './collection-commands.js';
import { addDatasetCommands } from './dataset-commands.js';
import { addDatasetTypeCommands } from './dataset-type-commands.js';
import { addIngestCommands } from './ingest-commands.js';
import { addProvenanceCommand } from './provenance-command.js';
import { addObservationCommands } from './observation-commands.js';
import { addQueryDataIdsCommand } from './query-data-ids-command.js';
import { addRepoCommands } from './repo-commands.js';

/** Registers every `butler-ts` sub-command on `program`. */
export function addButlerCommands(program: Command): void {
  addRepoCommands(program);
  addDatasetTypeCommands(program);
  addCollectionCommands(program);
  addDatasetCommands(program);
  addCalibrationCommands(program);
  addIngestCommands(program);
  addProvenanceCommand(program);
  addObservationCommands(program);
  addQueryDataIdsCommand(program);
}
