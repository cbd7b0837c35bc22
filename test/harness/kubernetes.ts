/**
 * A real Kubernetes control plane for tests (etcd, kube-apiserver, kube-controller-manager,
 * kube-scheduler), with kubectl and API helpers: see kubernetes/index.ts. The modules:
 *   kubernetes/index.ts      startControlPlane(), the ControlPlane interface, kubernetesBinaries()
 *   kubernetes/pki.ts        the openssl certificates, the static tokens, kubeconfigs
 *   kubernetes/processes.ts  launching, restarting and stopping etcd and the Kubernetes binaries
 *   kubernetes/client.ts     kubectl and requests to the API server
 *   kubernetes/objects.ts    what a kubelet would report: createNode(), markPodsRunning()...
 */
export * from './kubernetes/index.ts';
