import { mount } from 'svelte';
import App from './App.svelte';
import { connectApi } from './lib/api/client.js';
import './styles.css';

const target = document.getElementById('app');
if (target === null) throw new Error('index.html lacks the #app element.');
mount(App, { target, props: { api: connectApi() } });
