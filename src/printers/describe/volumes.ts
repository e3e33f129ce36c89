import type { PersistentVolumeClaim, PersistentVolumeSpec, Volume } from 'kubernetes-types/core/v1';
import type { Writer } from './engine';
import { LEVEL_0, LEVEL_1, LEVEL_2, LEVEL_3, NestedWriter, goList, goValue } from './engine';
import { ZERO, parseQ } from './quantity';
import { printPersistentVolumeClaim } from './claims';

// Volume sources, for pod (and pod template) volumes and for PersistentVolume
// sources: `Type:  <description>` and the source's fields, each printed with
// Go's `%v` (missing strings empty, bools false, numbers 0, pointers `<nil>`).

type Json = Record<string, unknown>;
type Row = [label: string, value: string];

const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));
const bool = (v: unknown): string => String(v === true);
const num = (v: unknown): string => String(typeof v === 'number' ? v : 0);
const list = (v: unknown): string => goList(Array.isArray(v) ? v : undefined);
// `%v` of a pointer to an API struct uses its generated String():
// `&LocalObjectReference{Name:x,}`, and `nil` for a nil pointer.
const ref =
  (type: string, ...fields: string[]) =>
  (v: unknown): string =>
    v && typeof v === 'object'
      ? `&${type}{${fields.map((f) => `${f.charAt(0).toUpperCase()}${f.slice(1)}:${str((v as Json)[f])},`).join('')}}`
      : 'nil';
const localRef = ref('LocalObjectReference', 'name');
const secretRef = ref('SecretReference', 'name', 'namespace');
// `%v` of a *bool is an address in Go; any fixed address stands for "set".
const boolPointer = (v: unknown): string => (v === undefined || v === null ? '<nil>' : '0xc000a1b2c8');

function typeBlock(w: Writer, title: string, rows: Row[]): void {
  w.write(LEVEL_2, `Type:\t${title}\n`);
  for (const [label, value] of rows) w.write(LEVEL_2, `${label}\t${value}\n`);
}

interface SimpleSource {
  title: string;
  fields: [label: string, field: string, fmt: (v: unknown) => string][];
}

// Sources printed as plain field lists (printXxxVolumeSource).
const SIMPLE: Record<string, SimpleSource> = {
  gcePersistentDisk: {
    title: 'GCEPersistentDisk (a Persistent Disk resource in Google Compute Engine)',
    fields: [
      ['PDName:', 'pdName', str],
      ['FSType:', 'fsType', str],
      ['Partition:', 'partition', num],
      ['ReadOnly:', 'readOnly', bool],
    ],
  },
  awsElasticBlockStore: {
    title: 'AWSElasticBlockStore (a Persistent Disk resource in AWS)',
    fields: [
      ['VolumeID:', 'volumeID', str],
      ['FSType:', 'fsType', str],
      ['Partition:', 'partition', num],
      ['ReadOnly:', 'readOnly', bool],
    ],
  },
  gitRepo: {
    title: 'GitRepo (a volume that is pulled from git when the pod is created)',
    fields: [
      ['Repository:', 'repository', str],
      ['Revision:', 'revision', str],
    ],
  },
  nfs: {
    title: 'NFS (an NFS mount that lasts the lifetime of a pod)',
    fields: [
      ['Server:', 'server', str],
      ['Path:', 'path', str],
      ['ReadOnly:', 'readOnly', bool],
    ],
  },
  glusterfs: {
    title: "Glusterfs (a Glusterfs mount on the host that shares a pod's lifetime)",
    fields: [
      ['EndpointsName:', 'endpoints', str],
      ['Path:', 'path', str],
      ['ReadOnly:', 'readOnly', bool],
    ],
  },
  persistentVolumeClaim: {
    title: 'PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)',
    fields: [
      ['ClaimName:', 'claimName', str],
      ['ReadOnly:', 'readOnly', bool],
    ],
  },
  rbd: {
    title: "RBD (a Rados Block Device mount on the host that shares a pod's lifetime)",
    fields: [
      ['CephMonitors:', 'monitors', list],
      ['RBDImage:', 'image', str],
      ['FSType:', 'fsType', str],
      ['RBDPool:', 'pool', str],
      ['RadosUser:', 'user', str],
      ['Keyring:', 'keyring', str],
      ['SecretRef:', 'secretRef', localRef],
      ['ReadOnly:', 'readOnly', bool],
    ],
  },
  quobyte: {
    title: "Quobyte (a Quobyte mount on the host that shares a pod's lifetime)",
    fields: [
      ['Registry:', 'registry', str],
      ['Volume:', 'volume', str],
      ['ReadOnly:', 'readOnly', bool],
    ],
  },
  vsphereVolume: {
    title: 'vSphereVolume (a Persistent Disk resource in vSphere)',
    fields: [
      ['VolumePath:', 'volumePath', str],
      ['FSType:', 'fsType', str],
      ['StoragePolicyName:', 'storagePolicyName', str],
    ],
  },
  cinder: {
    title: 'Cinder (a Persistent Disk resource in OpenStack)',
    fields: [
      ['VolumeID:', 'volumeID', str],
      ['FSType:', 'fsType', str],
      ['ReadOnly:', 'readOnly', bool],
      ['SecretRef:', 'secretRef', localRef],
    ],
  },
  photonPersistentDisk: {
    title: 'PhotonPersistentDisk (a Persistent Disk resource in photon platform)',
    fields: [
      ['PdID:', 'pdID', str],
      ['FSType:', 'fsType', str],
    ],
  },
  portworxVolume: { title: 'PortworxVolume (a Portworx Volume resource)', fields: [['VolumeID:', 'volumeID', str]] },
  scaleIO: {
    title: 'ScaleIO (a persistent volume backed by a block device in ScaleIO)',
    fields: [
      ['Gateway:', 'gateway', str],
      ['System:', 'system', str],
      ['Protection Domain:', 'protectionDomain', str],
      ['Storage Pool:', 'storagePool', str],
      ['Storage Mode:', 'storageMode', str],
      ['VolumeName:', 'volumeName', str],
      ['FSType:', 'fsType', str],
      ['ReadOnly:', 'readOnly', bool],
    ],
  },
  local: { title: 'LocalVolume (a persistent volume backed by local storage on a node)', fields: [['Path:', 'path', str]] },
  cephfs: {
    title: "CephFS (a CephFS mount on the host that shares a pod's lifetime)",
    fields: [
      ['Monitors:', 'monitors', list],
      ['Path:', 'path', str],
      ['User:', 'user', str],
      ['SecretFile:', 'secretFile', str],
      ['SecretRef:', 'secretRef', localRef],
      ['ReadOnly:', 'readOnly', bool],
    ],
  },
  storageos: {
    title: 'StorageOS (a StorageOS Persistent Disk resource)',
    fields: [
      ['VolumeName:', 'volumeName', str],
      ['VolumeNamespace:', 'volumeNamespace', str],
      ['FSType:', 'fsType', str],
      ['ReadOnly:', 'readOnly', bool],
    ],
  },
  azureFile: {
    title: 'AzureFile (an Azure File Service mount on the host and bind mount to the pod)',
    fields: [
      ['SecretName:', 'secretName', str],
      ['ShareName:', 'shareName', str],
      ['ReadOnly:', 'readOnly', bool],
    ],
  },
  flexVolume: {
    title: 'FlexVolume (a generic volume resource that is provisioned/attached using an exec based plugin)',
    fields: [
      ['Driver:', 'driver', str],
      ['FSType:', 'fsType', str],
      ['SecretRef:', 'secretRef', localRef],
      ['ReadOnly:', 'readOnly', bool],
      ['Options:', 'options', (v) => goValue(v ?? {})],
    ],
  },
  flocker: {
    title: 'Flocker (a Flocker volume mounted by the Flocker agent)',
    fields: [
      ['DatasetName:', 'datasetName', str],
      ['DatasetUUID:', 'datasetUUID', str],
    ],
  },
  image: {
    title: 'Image (a container image or OCI artifact)',
    fields: [
      ['Reference:', 'reference', str],
      ['PullPolicy:', 'pullPolicy', str],
    ],
  },
};

function simple(w: Writer, key: string, src: Json, override: Partial<Record<string, (v: unknown) => string>> = {}): void {
  const spec = SIMPLE[key];
  typeBlock(
    w,
    spec.title,
    spec.fields.map(([label, field, fmt]) => [label, (override[field] ?? fmt)(src[field])]),
  );
}

function hostPath(w: Writer, s: Json): void {
  typeBlock(w, 'HostPath (bare host directory volume)', [
    ['Path:', str(s.path)],
    ['HostPathType:', s.type === undefined || s.type === null ? '<none>' : str(s.type)],
  ]);
}

function emptyDir(w: Writer, s: Json): void {
  const size = parseQ(s.sizeLimit);
  typeBlock(w, "EmptyDir (a temporary directory that shares a pod's lifetime)", [
    ['Medium:', str(s.medium)],
    ['SizeLimit:', size && size.cmp(ZERO) > 0 ? size.toString() : '<unset>'],
  ]);
}

function iscsi(w: Writer, s: Json, secretRef: (v: unknown) => string): void {
  typeBlock(
    w,
    "ISCSI (an ISCSI Disk resource that is attached to a kubelet's host machine and then exposed to the pod)",
    [
      ['TargetPortal:', str(s.targetPortal)],
      ['IQN:', str(s.iqn)],
      ['Lun:', num(s.lun)],
      // kubectl's label has no colon here.
      ['ISCSIInterface', str(s.iscsiInterface)],
      ['FSType:', str(s.fsType)],
      ['ReadOnly:', bool(s.readOnly)],
      ['Portals:', list(s.portals)],
      ['DiscoveryCHAPAuth:', bool(s.chapAuthDiscovery)],
      ['SessionCHAPAuth:', bool(s.chapAuthSession)],
      ['SecretRef:', secretRef(s.secretRef)],
      ['InitiatorName:', s.initiatorName === undefined || s.initiatorName === null ? '<none>' : str(s.initiatorName)],
    ],
  );
}

function azureDisk(w: Writer, s: Json): void {
  typeBlock(w, 'AzureDisk (an Azure Data Disk mount on the host and bind mount to the pod)', [
    ['DiskName:', str(s.diskName)],
    ['DiskURI:', str(s.diskURI)],
    // kubectl's label has a space before the tab here.
    ['Kind: ', str(s.kind)],
    ['FSType:', str(s.fsType)],
    ['CachingMode:', str(s.cachingMode)],
    ['ReadOnly:', bool(s.readOnly)],
  ]);
}

function fc(w: Writer, s: Json): void {
  const wwns = Array.isArray(s.targetWWNs) ? (s.targetWWNs as string[]).join(', ') : '';
  typeBlock(w, 'FC (a Fibre Channel disk)', [
    ['TargetWWNs:', wwns],
    ['LUN:', typeof s.lun === 'number' ? String(s.lun) : '<none>'],
    ['FSType:', str(s.fsType)],
    ['ReadOnly:', bool(s.readOnly)],
  ]);
}

function secretVolume(w: Writer, s: Json): void {
  typeBlock(w, 'Secret (a volume populated by a Secret)', [
    ['SecretName:', str(s.secretName)],
    ['Optional:', bool(s.optional)],
  ]);
}

function configMapVolume(w: Writer, s: Json): void {
  typeBlock(w, 'ConfigMap (a volume populated by a ConfigMap)', [
    ['Name:', str(s.name)],
    ['Optional:', bool(s.optional)],
  ]);
}

function downwardAPI(w: Writer, s: Json): void {
  w.write(LEVEL_2, 'Type:\tDownwardAPI (a volume populated by information about the pod)\n');
  w.write(LEVEL_2, 'Items:\n');
  for (const item of (s.items as Json[] | undefined) ?? []) {
    const fieldRef = item.fieldRef as Json | undefined;
    const resourceFieldRef = item.resourceFieldRef as Json | undefined;
    if (fieldRef) w.write(LEVEL_3, `${str(fieldRef.fieldPath)} -> ${str(item.path)}\n`);
    if (resourceFieldRef) w.write(LEVEL_3, `${str(resourceFieldRef.resource)} -> ${str(item.path)}\n`);
  }
}

function projected(w: Writer, s: Json): void {
  w.write(LEVEL_2, 'Type:\tProjected (a volume that contains injected data from multiple sources)\n');
  for (const source of (s.sources as Json[] | undefined) ?? []) {
    const secret = source.secret as Json | undefined;
    const configMap = source.configMap as Json | undefined;
    const token = source.serviceAccountToken as Json | undefined;
    if (secret) {
      w.write(LEVEL_2, `SecretName:\t${str(secret.name)}\n`);
      w.write(LEVEL_2, `SecretOptionalName:\t${boolPointer(secret.optional)}\n`);
    } else if (source.downwardAPI) {
      w.write(LEVEL_2, 'DownwardAPI:\ttrue\n');
    } else if (configMap) {
      w.write(LEVEL_2, `ConfigMapName:\t${str(configMap.name)}\n`);
      w.write(LEVEL_2, `ConfigMapOptional:\t${boolPointer(configMap.optional)}\n`);
    } else if (token) {
      w.write(LEVEL_2, `TokenExpirationSeconds:\t${num(token.expirationSeconds)}\n`);
    }
  }
}

// printCSIPersistentVolumeAttributesMultiline.
function csiAttributes(w: Writer, attributes: Record<string, string> | undefined): void {
  w.write(LEVEL_2, 'VolumeAttributes:\t');
  const keys = Object.keys(attributes ?? {}).sort();
  if (keys.length === 0) {
    w.writeLine('<none>');
    return;
  }
  keys.forEach((key, i) => {
    if (i !== 0) w.write(LEVEL_2, '\t');
    const line = `${key}=${attributes![key]}`;
    w.write(LEVEL_2, line.length > 140 ? `${line.slice(0, 140)}...\n` : `${line}\n`);
  });
}

function csi(w: Writer, s: Json, persistent: boolean): void {
  const rows: Row[] = [
    ['Driver:', str(s.driver)],
    ['FSType:', str(s.fsType)],
  ];
  if (persistent) rows.push(['VolumeHandle:', str(s.volumeHandle)]);
  rows.push(['ReadOnly:', bool(s.readOnly)]);
  typeBlock(w, 'CSI (a Container Storage Interface (CSI) volume source)', rows);
  csiAttributes(w, s.volumeAttributes as Record<string, string> | undefined);
}

function ephemeral(w: Writer, s: Json): void {
  w.write(LEVEL_2, 'Type:\tEphemeralVolume (an inline specification for a volume that gets created and deleted with the pod)\n');
  const template = s.volumeClaimTemplate as { metadata?: PersistentVolumeClaim['metadata']; spec?: PersistentVolumeClaim['spec'] } | undefined;
  if (template) {
    printPersistentVolumeClaim(new NestedWriter(w, LEVEL_2), { metadata: template.metadata ?? {}, spec: template.spec }, false);
  }
}

type SourcePrinter = (w: Writer, s: Json) => void;

const simplePrinter =
  (key: string): SourcePrinter =>
  (w, s) =>
    simple(w, key, s);

// Pod volume sources, in kubectl's order of precedence.
const POD_SOURCES: [string, SourcePrinter][] = [
  ['hostPath', hostPath],
  ['emptyDir', emptyDir],
  ['gcePersistentDisk', simplePrinter('gcePersistentDisk')],
  ['awsElasticBlockStore', simplePrinter('awsElasticBlockStore')],
  ['gitRepo', simplePrinter('gitRepo')],
  ['secret', secretVolume],
  ['configMap', configMapVolume],
  ['nfs', simplePrinter('nfs')],
  ['iscsi', (w, s) => iscsi(w, s, localRef)],
  ['glusterfs', simplePrinter('glusterfs')],
  ['persistentVolumeClaim', simplePrinter('persistentVolumeClaim')],
  ['ephemeral', ephemeral],
  ['rbd', simplePrinter('rbd')],
  ['quobyte', simplePrinter('quobyte')],
  ['downwardAPI', downwardAPI],
  ['azureDisk', azureDisk],
  ['vsphereVolume', simplePrinter('vsphereVolume')],
  ['cinder', simplePrinter('cinder')],
  ['photonPersistentDisk', simplePrinter('photonPersistentDisk')],
  ['portworxVolume', simplePrinter('portworxVolume')],
  ['scaleIO', simplePrinter('scaleIO')],
  ['cephfs', simplePrinter('cephfs')],
  ['storageos', simplePrinter('storageos')],
  ['fc', fc],
  ['azureFile', simplePrinter('azureFile')],
  ['flexVolume', simplePrinter('flexVolume')],
  ['flocker', simplePrinter('flocker')],
  ['projected', projected],
  ['csi', (w, s) => csi(w, s, false)],
  ['image', simplePrinter('image')],
];

// PersistentVolume sources: mostly the same printers; a few persistent
// variants carry a namespace next to a name.
const PV_SOURCES: [string, SourcePrinter][] = [
  ['hostPath', hostPath],
  ['gcePersistentDisk', simplePrinter('gcePersistentDisk')],
  ['awsElasticBlockStore', simplePrinter('awsElasticBlockStore')],
  ['nfs', simplePrinter('nfs')],
  ['iscsi', (w, s) => iscsi(w, s, secretRef)],
  [
    'glusterfs',
    (w, s) =>
      typeBlock(w, SIMPLE.glusterfs.title, [
        ['EndpointsName:', str(s.endpoints)],
        ['EndpointsNamespace:', s.endpointsNamespace === undefined || s.endpointsNamespace === null ? '<unset>' : str(s.endpointsNamespace)],
        ['Path:', str(s.path)],
        ['ReadOnly:', bool(s.readOnly)],
      ]),
  ],
  ['rbd', (w, s) => simple(w, 'rbd', s, { secretRef: secretRef })],
  ['quobyte', simplePrinter('quobyte')],
  ['vsphereVolume', simplePrinter('vsphereVolume')],
  ['cinder', (w, s) => simple(w, 'cinder', s, { secretRef: secretRef })],
  ['azureDisk', azureDisk],
  ['photonPersistentDisk', simplePrinter('photonPersistentDisk')],
  ['portworxVolume', simplePrinter('portworxVolume')],
  [
    'scaleIO',
    (w, s) => {
      const secret = (s.secretRef as Json | undefined) ?? {};
      const rows: Row[] = SIMPLE.scaleIO.fields.map(([label, field, fmt]) => [label, fmt(s[field])]);
      rows.splice(6, 0, ['SecretName:', str(secret.name)], ['SecretNamespace:', str(secret.namespace)]);
      typeBlock(w, SIMPLE.scaleIO.title, rows);
    },
  ],
  ['local', simplePrinter('local')],
  ['cephfs', (w, s) => simple(w, 'cephfs', s, { secretRef: secretRef })],
  ['storageos', simplePrinter('storageos')],
  ['fc', fc],
  [
    'azureFile',
    (w, s) =>
      typeBlock(w, SIMPLE.azureFile.title, [
        ['SecretName:', str(s.secretName)],
        ['SecretNamespace:', str(s.secretNamespace)],
        ['ShareName:', str(s.shareName)],
        ['ReadOnly:', bool(s.readOnly)],
      ]),
  ],
  ['flexVolume', (w, s) => simple(w, 'flexVolume', s, { secretRef: secretRef })],
  ['flocker', simplePrinter('flocker')],
  ['csi', (w, s) => csi(w, s, true)],
];

function printSource(w: Writer, holder: Json, printers: [string, SourcePrinter][], unknownLevel: number): void {
  for (const [key, print] of printers) {
    const src = holder[key];
    if (src !== undefined && src !== null) {
      print(w, src as Json);
      return;
    }
  }
  w.write(unknownLevel, '<unknown>\n');
}

// describeVolumes: `Volumes:  <none>`, or each volume's name and source.
export function describeVolumes(w: Writer, volumes: readonly Volume[] | undefined, space: string): void {
  if (!volumes || volumes.length === 0) {
    w.write(LEVEL_0, `${space}Volumes:\t<none>\n`);
    return;
  }
  w.write(LEVEL_0, `${space}Volumes:\n`);
  const nameIndent = space ? ' ' : '';
  for (const v of volumes) {
    w.write(LEVEL_1, `${nameIndent}${v.name}:\n`);
    printSource(w, v as unknown as Json, POD_SOURCES, LEVEL_1);
  }
}

export function describePersistentVolumeSource(w: Writer, spec: PersistentVolumeSpec | undefined): void {
  printSource(w, (spec ?? {}) as unknown as Json, PV_SOURCES, LEVEL_1);
}
