import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'

// Relative asset paths: the page works wherever the operator unpacks it inside the UI's folder.
export default defineConfig({
  base: './',
  plugins: [vue()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
    reportCompressedSize: false
  }
})
