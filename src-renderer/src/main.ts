import { mount } from 'svelte';
import App from './App.svelte';
import './styles/global.css';
import { connectApi } from './lib/api/connect';

const { transport } = connectApi();
mount(App, { target: document.getElementById('app')!, props: { transport } });
