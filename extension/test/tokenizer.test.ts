import { StringStream } from '@codemirror/language';
import { describe, expect, it } from 'vitest';

import { indent, ModelState, startState, token } from '../src/tokenizer';

type Token = [text: string, name: string];

/** Runs the tokenizer over a cell as CodeMirror does: line by line, one state. */
function tokenize(text: string): { lines: Token[][]; state: ModelState } {
  const state = startState();
  const lines = text.split('\n').map(line => {
    const tokens: Token[] = [];
    if (line.trim() === '') {
      return tokens;
    }
    const stream = new StringStream(line, 4, 4);
    while (!stream.eol()) {
      const start = stream.pos;
      const name = token(stream, state);
      expect(stream.pos, `no progress at ${start} in "${line}"`).toBeGreaterThan(start);
      if (name) {
        tokens.push([line.slice(start, stream.pos), name]);
      }
    }
    return tokens;
  });
  return { lines, state };
}

/** All (text, token) pairs of a cell, in order. */
function tokensOf(text: string): Token[] {
  return tokenize(text).lines.flat();
}

/** The token names given to one piece of text (first occurrence). */
function nameOf(text: string, piece: string): string | undefined {
  return tokensOf(text).find(([t]) => t === piece)?.[1];
}

const LIF = `%%neuron LIF
parameters:
    tau = 10.0 : population   # membrane time constant
    I = 2.0
equations:
    tau * dv/dt = I - v : init=0.0, min=-1e3
spike: v > 1.0
reset: v = 0.0
refractory: 5.0`;

const STDP = `%%synapse STDP
parameters:
    tau_plus = 20.0 : projection
    A_plus = 0.01 : projection
    w_max = 1.0 : postsynaptic
equations:
    tau_plus * dx/dt = -x : event-driven
    tau_minus * dy / dt = -y : exponential
pre_spike:
    g_target += w
    x += A_plus * w_max
    w = clip(w - y, 0.0, w_max) : unless_post
post_spike:
    y += A_minus * w_max
    w = clip(w + x, 0.0, w_max)`;

const RATE = `%%neuron Field
parameters:
    tau = 10.0 : population
    noise = 0.5
functions:
    sigmoid(x) = 1.0 / (1.0 + exp(-x)) : float, float
equations:
    # leaky integration of the inputs
    tau * dmp/dt + mp = sum(exc) - sum(inh) + noise * Uniform(-1.0, 1.0)
    r = if mp > 0.0:
            pos(mp)
        else:
            0.0 : init = 0.0
    s = sigmoid(r) * t / dt + pi`;

describe('model cells', () => {
  it('reads the magic line and the model name', () => {
    expect(tokenize(LIF).lines[0]).toEqual([
      ['%%neuron', 'magic'],
      ['LIF', 'modelName']
    ]);
    expect(tokenize('%%synapse STDP --quiet # note').lines[0]).toEqual([
      ['%%synapse', 'magic'],
      ['STDP', 'modelName'],
      ['--quiet', 'magicArgument'],
      ['# note', 'comment']
    ]);
    expect(tokenize('%%neuron?').lines[0]).toEqual([['%%neuron?', 'magic']]);
  });

  it('marks section headers, short sections included', () => {
    const names = tokensOf(LIF).filter(([, n]) => n === 'section').map(([t]) => t);
    expect(names).toEqual(['parameters:', 'equations:', 'spike:', 'reset:', 'refractory:']);
    const synapse = tokensOf(STDP).filter(([, n]) => n === 'section').map(([t]) => t);
    expect(synapse).toEqual(['parameters:', 'equations:', 'pre_spike:', 'post_spike:']);
  });

  it('reads the text of a section on its header line', () => {
    expect(tokenize(LIF).lines[6]).toEqual([
      ['spike:', 'section'],
      ['>', 'operator'],
      ['1.0', 'number']
    ]);
    expect(tokenize(LIF).lines[8]).toEqual([
      ['refractory:', 'section'],
      ['5.0', 'number']
    ]);
  });

  it('marks flags after the last colon, with valued flags and their values', () => {
    expect(tokenize(LIF).lines[2]).toEqual([
      ['=', 'operator'],
      ['10.0', 'number'],
      [':', 'flagSeparator'],
      ['population', 'flag'],
      ['# membrane time constant', 'comment']
    ]);
    expect(tokenize(LIF).lines[5]).toEqual([
      ['*', 'operator'],
      ['dv/dt', 'derivative'],
      ['=', 'operator'],
      ['-', 'operator'],
      [':', 'flagSeparator'],
      ['init', 'flag'],
      ['=', 'operator'],
      ['0.0', 'number'],
      ['min', 'flag'],
      ['=', 'operator'],
      ['-', 'operator'],
      ['1e3', 'number']
    ]);
    const flags = tokensOf(STDP).filter(([, n]) => n === 'flag').map(([t]) => t);
    expect(flags).toEqual([
      'projection',
      'projection',
      'postsynaptic',
      'event-driven',
      'exponential',
      'unless_post'
    ]);
  });

  it('knows every flag of the parser', () => {
    for (const flag of [
      'population', 'postsynaptic', 'projection', 'explicit', 'implicit', 'semiimplicit',
      'exponential', 'midpoint', 'rk4', 'event-driven', 'int', 'bool', 'float'
    ]) {
      expect(nameOf(`%%neuron N\nparameters:\n    x = 1 : ${flag}`, flag), flag).toBe('flag');
    }
  });

  it('marks derivatives, spaces included, and nothing that only looks like one', () => {
    expect(nameOf(STDP, 'dy / dt')).toBe('derivative');
    expect(nameOf(RATE, 'dmp/dt')).toBe('derivative');
    expect(nameOf(RATE, 'dt')).toBe('builtin');
  });

  it('marks sum(target), functions, random draws, pre./post. and built-in names', () => {
    expect(nameOf(RATE, 'sum(exc)')).toBe('sum');
    expect(nameOf(RATE, 'sum(inh)')).toBe('sum');
    expect(nameOf(RATE, 'exp')).toBe('function');
    expect(nameOf(RATE, 'pos')).toBe('function');
    expect(nameOf(STDP, 'clip')).toBe('function');
    expect(nameOf(RATE, 'Uniform')).toBe('random');
    expect(nameOf(RATE, 't')).toBe('builtin');
    expect(nameOf(RATE, 'pi')).toBe('builtin');
    const hebb = '%%synapse Hebb\nequations:\n    tau * dw/dt = pre.r * post.r - mean(post.r)';
    expect(tokensOf(hebb).filter(([, n]) => n === 'prePost').map(([t]) => t)).toEqual([
      'pre.',
      'post.',
      'post.'
    ]);
    expect(nameOf(hebb, 'mean')).toBe('function');
    expect(nameOf('%%neuron N\nequations:\n    r = Normal(0.0, 1.0) * sum()', 'sum()')).toBe(
      'sum'
    );
  });

  it('does not take a variable named like a function for a call', () => {
    const text = '%%neuron N\nparameters:\n    x = 1.0\nequations:\n    r = x + round';
    expect(nameOf(text, 'round')).toBeUndefined();
    expect(nameOf(text, 'x')).toBeUndefined();
  });

  it('gives the colons of a conditional to the conditional, the last one to the flags', () => {
    const text = '%%neuron N\nequations:\n    r = if v > 0: 1.0 else: 0.0 : init = 0.0';
    expect(tokensOf(text).slice(3)).toEqual([
      ['=', 'operator'],
      ['if', 'keyword'],
      ['>', 'operator'],
      ['0', 'number'],
      [':', 'operator'],
      ['1.0', 'number'],
      ['else', 'keyword'],
      [':', 'operator'],
      ['0.0', 'number'],
      [':', 'flagSeparator'],
      ['init', 'flag'],
      ['=', 'operator'],
      ['0.0', 'number']
    ]);
  });

  it('follows a conditional over several lines', () => {
    const lines = tokenize(RATE).lines;
    expect(lines[9]).toEqual([
      ['=', 'operator'],
      ['if', 'keyword'],
      ['>', 'operator'],
      ['0.0', 'number'],
      [':', 'operator']
    ]);
    expect(lines[10]).toEqual([['pos', 'function']]);
    expect(lines[11]).toEqual([
      ['else', 'keyword'],
      [':', 'operator']
    ]);
    expect(lines[12]).toEqual([
      ['0.0', 'number'],
      [':', 'flagSeparator'],
      ['init', 'flag'],
      ['=', 'operator'],
      ['0.0', 'number']
    ]);
  });

  it('starts a new definition after a complete one', () => {
    const text = '%%neuron N\nequations:\n    r = if v > 0\n    x = 1.0 : init = 1.0';
    expect(tokenize(text).lines[3]).toContainEqual([':', 'flagSeparator']);
    const semicolon = '%%neuron N\nequations:\n    x = 1.0 : int; y = 2.0 : bool';
    expect(tokensOf(semicolon).filter(([, n]) => n === 'flag').map(([t]) => t)).toEqual([
      'int',
      'bool'
    ]);
  });

  it('keeps commas inside calls out of the flags', () => {
    const text = '%%neuron N\nequations:\n    x = clip(y, 0.0, 1.0) : init = clip(0.5, 0.0, 1.0), int';
    const flags = tokensOf(text).filter(([, n]) => n === 'flag').map(([t]) => t);
    expect(flags).toEqual(['init', 'int']);
  });

  it('reads function types and structural-plasticity flags as flags', () => {
    expect(nameOf(RATE, 'float')).toBe('flag');
    const text = `%%synapse S
creating: pre.r * post.r > 1.0 : proba = 0.5, w = 0.01, d = 1.0
pruning: w < 0.001 : proba = 0.2`;
    const flags = tokensOf(text).filter(([, n]) => n === 'flag').map(([t]) => t);
    expect(flags).toEqual(['proba', 'w', 'd', 'proba']);
  });

  it('reads an operation as a function name and a description as free text', () => {
    const text = `%%synapse Max
psp: w * pre.r
operation: max
description:
    Takes the maximum: one input wins # not a comment`;
    expect(nameOf(text, 'max')).toBe('function');
    expect(tokenize(text).lines[4]).toEqual([
      ['Takes the maximum: one input wins # not a comment', 'description']
    ]);
    expect(nameOf(text, 'psp:')).toBe('section');
  });

  it('marks comments and keeps plain names unmarked', () => {
    expect(tokenize(RATE).lines[7]).toEqual([['# leaky integration of the inputs', 'comment']]);
    expect(tokenize('%%neuron N\n# a comment before the sections').lines[1]).toEqual([
      ['# a comment before the sections', 'comment']
    ]);
  });
});

describe('malformed model cells', () => {
  it('reads a magic without a name and goes on', () => {
    const text = '%%neuron\nparameters:\n    tau = 10.0';
    expect(tokenize(text).lines).toEqual([
      [['%%neuron', 'magic']],
      [['parameters:', 'section']],
      [
        ['=', 'operator'],
        ['10.0', 'number']
      ]
    ]);
  });

  it('marks a model name that is not a Python name', () => {
    expect(tokenize('%%neuron 2LIF').lines[0]).toEqual([
      ['%%neuron', 'magic'],
      ['2LIF', 'modelName invalid']
    ]);
  });

  it('marks an unknown section and highlights what follows', () => {
    const text = '%%neuron N\nparamters:\n    tau = 10.0 : population\nequations:\n    dv/dt = -v';
    const lines = tokenize(text).lines;
    expect(lines[1]).toEqual([['paramters:', 'section invalid']]);
    expect(lines[2]).toEqual([
      ['=', 'operator'],
      ['10.0', 'number'],
      [':', 'flagSeparator'],
      ['population', 'flag']
    ]);
    expect(lines[3]).toEqual([['equations:', 'section']]);
    expect(lines[4][0]).toEqual(['dv/dt', 'derivative']);
  });

  it('marks a section of the other kind of model', () => {
    expect(nameOf('%%neuron N\npsp: w * pre.r', 'psp:')).toBe('section invalid');
    expect(nameOf('%%synapse S\nspike: v > 1', 'spike:')).toBe('section invalid');
  });

  it('marks text before the first section and an unknown flag', () => {
    expect(tokenize('%%neuron N\n    tau = 10.0\nparameters:').lines[1]).toEqual([
      ['tau = 10.0', 'invalid']
    ]);
    expect(nameOf('%%neuron N\nparameters:\n    x = 1.0 : populaton', 'populaton')).toBe(
      'flag invalid'
    );
    expect(nameOf('%%neuron N\nparameters:\n    x = 1.0 : inti = 2', 'inti')).toBe(
      'flag invalid'
    );
  });

  it('never stops on unexpected characters', () => {
    const text = '%%neuron N\nequations:\n    r = $ ? @ ` \\ ~ "x" \'y\' [1] {2}\n    r2 = 1';
    const { lines } = tokenize(text);
    expect(lines[3]).toEqual([
      ['=', 'operator'],
      ['1', 'number']
    ]);
  });
});

describe('indentation', () => {
  const context = { unit: 4 } as Parameters<typeof indent>[2];

  it('indents the lines of a section and a conditional continuation', () => {
    const { state } = tokenize('%%neuron N\nparameters:');
    expect(indent(state, '', context)).toBe(4);
    expect(indent(state, 'equations:', context)).toBe(0);
    const open = tokenize('%%neuron N\nequations:\n    r = if v > 0:').state;
    expect(indent(open, '', context)).toBe(8);
    expect(indent(startState(), '', context)).toBe(0);
  });
});
