/** PVC storage: the claim the plan names, mounted where the operator mounts it (/registry). */
import * as fs from 'fs';
import * as path from 'path';
import { Scenario } from './types';
import { planPvcStorage } from '../../lib';
import { assertStored, operatorView, pushAndPull, runRegistry, StepError } from '../harness';

function walk(root: string, dir = root): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? walk(root, p) : [path.relative(root, p)];
  });
}

export function filesystemScenarios(): Scenario[] {
  return [{
    name: 'pvc-claim-mount',
    proves: 'PVC storage: the Config names the claim the plan creates, the operator mounts it at /registry, and the blobs land on it',
    run: async (ctx) => {
      const plan = planPvcStorage({ claim: 'registry-e2e-claim', size: '100Gi', accessMode: 'ReadWriteOnce' });
      const claim = plan.objects.find((o) => o.kind === 'PersistentVolumeClaim');
      const named = (plan.spec.storage as any).pvc.claim;
      if (!claim || claim.metadata.name !== named) throw new StepError('config', `the Config names claim ${named}, the plan creates ${claim?.metadata.name}`);
      const { pod } = operatorView(ctx, plan);
      const volume = pod.volumes.find((v) => v.claim === named);
      if (!volume || volume.mountPath !== '/registry') throw new StepError('operator', `claim ${named} is not mounted at /registry`);
      const reg = await runRegistry(ctx, pod, 'registry-pvc');
      await pushAndPull(ctx, reg, 'e2e/pvc');
      assertStored(ctx, walk(reg.volumeDirs[volume.name]).sort(), ctx.image, 'e2e/pvc');
    },
  }];
}
