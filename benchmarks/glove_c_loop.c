/* The Stanford GloVe C trainer's inner loop (glove.c, glove_thread), as a
 * library: per-pair AdaGrad in double precision, threads splitting one fixed
 * order into contiguous parts (lock-free, as the C code). Used by
 * bench_glove.py --c-loop to train on *our* co-occurrence matrix, which
 * separates the effect of the trainer from that of the counting.
 * Build: cc -O3 -shared -fPIC -o libglove_c_loop.so glove_c_loop.c -lpthread -lm */
#include <math.h>
#include <pthread.h>

typedef struct {
    const int *w1, *w2;
    const double *val;
    long long start, stop, vocab;
    double *W, *gradsq, eta, alpha, x_max, clip, cost;
    int dim;
} Part;

static double clamp(double x, double c) { return x > c ? c : (x < -c ? -c : x); }

static void *run_part(void *arg) {
    Part *p = (Part *)arg;
    int d = p->dim;
    p->cost = 0;
    for (long long k = p->start; k < p->stop; k++) {
        long long l1 = (long long)p->w1[k] * (d + 1);
        long long l2 = ((long long)p->w2[k] + p->vocab) * (d + 1);
        double x = p->val[k], diff = 0;
        for (int b = 0; b < d; b++) diff += p->W[b + l1] * p->W[b + l2];
        diff += p->W[d + l1] + p->W[d + l2] - log(x);
        double fdiff = (x > p->x_max) ? diff : pow(x / p->x_max, p->alpha) * diff;
        p->cost += 0.5 * fdiff * diff;
        fdiff *= p->eta;
        for (int b = 0; b < d; b++) {
            double t1 = clamp(fdiff * p->W[b + l2], p->clip);
            double t2 = clamp(fdiff * p->W[b + l1], p->clip);
            p->W[b + l1] -= t1 / sqrt(p->gradsq[b + l1]);
            p->W[b + l2] -= t2 / sqrt(p->gradsq[b + l2]);
            p->gradsq[b + l1] += t1 * t1;
            p->gradsq[b + l2] += t2 * t2;
        }
        p->W[d + l1] -= fdiff / sqrt(p->gradsq[d + l1]);
        p->W[d + l2] -= fdiff / sqrt(p->gradsq[d + l2]);
        fdiff *= fdiff;
        p->gradsq[d + l1] += fdiff;
        p->gradsq[d + l2] += fdiff;
    }
    return 0;
}

/* One pass over the n entries (word ids w1, context ids w2, counts val, all
 * 0-based); W and gradsq hold 2 * vocab rows of dim + 1 doubles (words, then
 * contexts; the last column is the bias). Returns the mean weighted cost. */
double glove_epoch(const int *w1, const int *w2, const double *val, long long n, double *W,
                   double *gradsq, int dim, long long vocab, double eta, double alpha,
                   double x_max, double clip, int n_threads) {
    pthread_t threads[64];
    Part parts[64];
    double cost = 0;
    if (n_threads < 1) n_threads = 1;
    if (n_threads > 64) n_threads = 64;
    for (int t = 0; t < n_threads; t++) {
        Part p = {w1, w2, val, n / n_threads * t, t == n_threads - 1 ? n : n / n_threads * (t + 1),
                  vocab, W, gradsq, eta, alpha, x_max, clip, 0, dim};
        parts[t] = p;
        pthread_create(&threads[t], 0, run_part, &parts[t]);
    }
    for (int t = 0; t < n_threads; t++) {
        pthread_join(threads[t], 0);
        cost += parts[t].cost;
    }
    return cost / (n > 0 ? n : 1);
}
