"""The lecture's PyTorch: a small graph's gradients, then a two-layer net's backward pass by hand, checked
against autograd's.

From the backpropagation lecture's slides: only the import line differs on graphlab.
"""

import torch

N, D = 3, 4
x = torch.randn(N, D, requires_grad=True)
y = torch.randn(N, D)
z = torch.randn(N, D)

a = x * y
b = a + z
c = torch.sum(b)

c.backward()
print("dc/dx equals y:", torch.equal(x.grad, y), x.grad.sum().item())

N, D_in, H, D_out = 64, 100, 32, 10
x = torch.randn(N, D_in)
y = torch.randn(N, D_out)
w1 = torch.randn(D_in, H, requires_grad=True)
w2 = torch.randn(H, D_out, requires_grad=True)

learning_rate = 1e-6
for t in range(100):
    h = x.mm(w1)
    h_relu = h.clamp(min=0)
    y_pred = h_relu.mm(w2)
    loss = (y_pred - y).pow(2).sum()

    loss.backward()

    with torch.no_grad():
        grad_y_pred = 2.0 * (y_pred - y)
        grad_w2 = h_relu.t().mm(grad_y_pred)
        grad_h_relu = grad_y_pred.mm(w2.t())
        grad_h = grad_h_relu.clone()
        grad_h[h < 0] = 0
        grad_w1 = x.t().mm(grad_h)
        if t % 10 == 0:
            agree = torch.allclose(grad_w1, w1.grad, rtol=1e-3, atol=1e-2) and torch.allclose(grad_w2, w2.grad,
                                                                                               rtol=1e-3, atol=1e-2)
            print(t, loss.item(), "by hand = autograd:", agree)

        w1 -= learning_rate * grad_w1
        w2 -= learning_rate * grad_w2
        w1.grad.zero_()
        w2.grad.zero_()
