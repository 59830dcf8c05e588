"""The activation layers: Activation, ReLU, LeakyReLU, Softmax, ELU, PReLU."""
