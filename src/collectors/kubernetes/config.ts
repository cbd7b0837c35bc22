import { z } from 'zod';
import { collectorBase, duration } from '../../config/fields.ts';

/** A namespace name (RFC 1123 label). */
const NAMESPACE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export const kubernetesConfig = z
  .strictObject({
    ...collectorBase({ enabled: true, timeout: '5s' }),
    kubeconfig: z
      .string()
      .regex(/^\//, 'must be an absolute path')
      .optional()
      .meta({
        description:
          "A kubeconfig file to reach the cluster with (a master host's admin.conf, or one made for patrol). Unset: the in-cluster service account when patrol runs in a pod; with neither, the collector is off and says why.",
        examples: ['/etc/kubernetes/admin.conf'],
      }),
    context: z
      .string()
      .min(1)
      .optional()
      .meta({ description: "The kubeconfig's context to use (unset: its current-context)." }),
    namespaces: z
      .array(z.string().regex(NAMESPACE, 'not a namespace name'))
      .default([])
      .meta({
        description:
          'Namespaces whose pods, workloads and services are watched (empty: all). Nodes are always watched. With a list, patrol needs list and watch in those namespaces only (a Role per namespace), not cluster-wide.',
        examples: [['product', 'kube-system']],
      }),
    watch_timeout: duration(
      '5m',
      'How long the API server keeps one watch open (its timeoutSeconds; each watch gets a random value between this and twice this, as client-go does). A watch silent for longer than that plus request_timeout is taken for dead and started again from where it was.',
      '10s',
    ),
    request_timeout: duration(
      '30s',
      'Deadline of one request to the API server (discovery, one page of a list, the headers of a watch).',
      '1s',
    ),
    page_size: z.int().min(1).max(10_000).default(100).meta({
      description:
        'Objects per page when listing (limit/continue), so one list of 10,000 pods is never one answer held at once: a smaller page lowers the peak memory of a list, a larger one makes fewer requests.',
      default: 100,
    }),
  })
  .refine((c) => c.context === undefined || c.kubeconfig !== undefined, {
    path: ['context'],
    message: 'a context is chosen in a kubeconfig: set kubeconfig too',
  })
  .meta({
    description:
      "State of a Kubernetes cluster from its API (checklist C3-C6, C11-C13: nodes Ready, Deployments' DESIRED = CURRENT = UP-TO-DATE = AVAILABLE, pods READY n/n and not restarting, Services with ready endpoints, calico-node), listed and watched, never polled. One patrol per cluster. On when it finds in-cluster credentials or a kubeconfig is set.",
  });

export type KubernetesConfig = z.output<typeof kubernetesConfig>;
