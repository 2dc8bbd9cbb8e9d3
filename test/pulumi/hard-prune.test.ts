import { MOCKS } from './mocks';
import { S3RegistryStorage } from '../../lib/pulumi/aws';
import { capturePulumiProgram } from '../../lib/testing/pulumi';

describe('hardPrune on a Pulumi component', () => {
  it('a CronJob on the storage in use (after the wait), running the payload\'s oc, with its window\'s roles', async () => {
    let component!: S3RegistryStorage;
    const resources = await capturePulumiProgram(() => {
      component = new S3RegistryStorage('registry', {
        bucket: 'acme-registry', region: 'eu-west-1', hardPrune: { schedule: '0 4 * * 0' }, acknowledgeWarnings: ['ORS-PULUMI-W002'],
      });
    }, MOCKS);
    expect(component.hardPrune).toBeDefined();
    const pruning = resources.filter((r) => r.name.startsWith('registry-hard-prune-'));
    expect(pruning.map((r) => r.name).sort()).toEqual([
      'registry-hard-prune-namespace', 'registry-hard-prune-networkpolicy', 'registry-hard-prune-serviceaccount', 'registry-hard-prune-clusterrole',
      'registry-hard-prune-clusterrolebinding', 'registry-hard-prune-role', 'registry-hard-prune-rolebinding', 'registry-hard-prune-image-pruner-binding',
      'registry-hard-prune-cronjob',
    ].sort());
    const cron = pruning.find((r) => r.name === 'registry-hard-prune-cronjob')!;
    // each object after the one before it: the CronJob last
    expect(cron.dependencies).toContain('registry-hard-prune-image-pruner-binding');
    expect(cron.type).toBe('kubernetes:batch/v1:CronJob');
    expect(cron.dependencies).toContain('registry-storage-applied');
    expect((cron.inputs as any).spec.schedule).toBe('0 4 * * 0');
    expect((cron.inputs as any).spec.jobTemplate.spec.template.spec.containers[0].image).toMatch(/@sha256:[0-9a-f]{64}$/);
    for (const r of pruning) expect(r.parent).toBe('registry');
  });

  it('a wrong option is refused with the other props', async () => {
    let message: string | undefined;
    await capturePulumiProgram(() => {
      try {
        new S3RegistryStorage('registry', { bucket: 'acme-registry', region: 'eu-west-1', hardPrune: { schedule: 'sundays' } });
      } catch (e) {
        message = (e as Error).message;
      }
    }, MOCKS);
    expect(message).toMatch(/- hardPrune\.schedule: must be a cron schedule .*\[ORS-PRUNER-005\]/);
  });
});
