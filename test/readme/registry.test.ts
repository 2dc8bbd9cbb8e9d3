import { App, Chart } from 'cdk8s';
import { S3RegistryStorage } from 'openshift-registry-storage/cdk8s';
import { synthRedacted } from 'openshift-registry-storage/testing/cdk8s';
import { capturePulumiProgram } from 'openshift-registry-storage/testing/pulumi';

it('registry graph', async () => {
  // isolateModules: a module runs once per module cache, and each capture needs a fresh run
  const resources = await capturePulumiProgram(() => jest.isolateModules(() => require('./index')));
  expect(resources).toMatchSnapshot(); // sorted, secrets replaced by '[secret]'
});

it('registry manifests', () => {
  const chart = new Chart(new App(), 'registry');
  new S3RegistryStorage(chart, 'storage', { bucket: 'acme-image-registry', region: 'eu-west-1' });
  expect(synthRedacted(chart)).toMatchSnapshot(); // Secret values replaced by '[secret]'
});
